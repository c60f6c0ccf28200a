// The proxy's ports against the real API on a real socket (both databases): decisions mapped with threshold and
// dwell inputs, the event stream with resume and failover, reports read back, profile and hardware checks, and
// what each does while the API cannot be reached (a TCP forwarder cut in front of it).

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createToken, type Db } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import { closedPort, TcpForwarder, waitFor } from '@smart-mining/testkit';
import { pino } from 'pino';
import {
  auth,
  insertCoin,
  marketChanged,
  openTestApp,
  secondsBefore,
  T0,
  type TestApp,
} from '../../../api/src/test-support.ts';
import type { DecisionEvent, DecisionRoute, SwitchReport } from '../ports.ts';
import { ApiClient, ApiClientError } from './api-client.ts';
import { createApiPorts } from './api-ports.ts';

const silent = pino({ level: 'silent' });
const ROUTE: DecisionRoute = {
  profile: 'max-usd-coin',
  hardware: null,
  algorithms: ['scrypt'],
  account: 'acct',
};

async function insertScryptPool(db: Db, poolKey: string, fee: number, port: number, at: Date) {
  const [pool, coin] = poolKey.split(':');
  const endpoints = JSON.stringify([{ host: '127.0.0.1', port, tls: false, dialect: 'stratum-v1' }]);
  await db.query(
    `INSERT INTO pools (pool_key, pool, coin, fee_fraction, hashrate_hs, miners, workers, block_height,
       endpoints, usd_per_hs_day, observed_at, updated_at, stale)
     VALUES ($1, $2, $3, $4, 1e12, 10, 10, 1, $5::jsonb, NULL, $6, $6, false)`,
    [poolKey, pool, coin, fee, endpoints, at],
  );
}

async function seedScrypt(db: Db): Promise<void> {
  const observedAt = secondsBefore(T0, 60);
  await insertCoin(db, { coin: 'LTC', algorithm: 'scrypt', usdPerHsDay: 4e-9, observedAt });
  await insertCoin(db, { coin: 'DOGE', algorithm: 'scrypt', usdPerHsDay: 3e-9, observedAt });
  await insertScryptPool(db, 'sim:LTC', 0.01, 3333, observedAt);
  await insertScryptPool(db, 'sim:DOGE', 0.02, 3334, observedAt);
}

function switchReport(key: string, agoS = 5): SwitchReport {
  return {
    idempotencyKey: key,
    at: secondsBefore(T0, agoS),
    route: { algorithm: 'scrypt', profile: 'max-usd-coin', hardware: null, account: 'acct' },
    from: 'sim:LTC',
    to: 'sim:DOGE',
    trigger: 'failover',
    reason: 'sim:LTC is down: next ranked target',
    inputs: null,
    decisionRoute: 'max-usd-coin|algorithms=scrypt',
    method: 'notify',
    methods: { notify: 2, set_extranonce: 0, reconnect: 0 },
    miners: ['acct.a', 'acct.b'],
    durationMs: 12,
  };
}

for (const database of testDatabases()) {
  describe(`proxy ports over the API (${database.name})`, () => {
    let t: TestApp;
    let forwarder: TcpForwarder;
    let direct: string;
    let through: string;
    let token: string;

    before(async () => {
      t = await openTestApp(database, { eventsHeartbeatMs: 200 }, seedScrypt);
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = t.app.server.address() as AddressInfo;
      direct = `http://127.0.0.1:${port}`;
      forwarder = await TcpForwarder.start({ host: '127.0.0.1', port });
      through = `http://127.0.0.1:${forwarder.port}`;
      token = (await createToken(t.db, { name: 'proxy-test' })).token;
    });
    after(async () => {
      await forwarder?.close();
      await t?.close();
    });

    const ports = (urls: string[], extra: Partial<Parameters<typeof createApiPorts>[0]> = {}) =>
      createApiPorts({
        urls,
        token,
        proxyId: 'proxy-test',
        accounts: { acct: { LTC: 'ltcwallet', DOGE: 'dogewallet' } },
        logger: silent,
        requestTimeoutMs: 2000,
        reconnectMinMs: 50,
        reconnectMaxMs: 200,
        ...extra,
      });

    it('maps a decision: ranked targets with endpoints, fee and value; current + since weigh dwell', async () => {
      const p = ports([direct]);
      const first = await p.decisions.decide(ROUTE, null);
      assert.equal(first.chosen?.poolKey, 'sim:LTC');
      assert.deepEqual(
        first.ranked.map((r) => r.poolKey),
        ['sim:LTC', 'sim:DOGE'],
      );
      const ltc = first.ranked[0]!;
      assert.deepEqual(ltc.endpoints, [{ host: '127.0.0.1', port: 3333, tls: false, dialect: 'stratum-v1' }]);
      assert.equal(ltc.coin, 'LTC');
      assert.equal(ltc.algorithm, 'scrypt');
      assert.equal(ltc.feeFraction, 0.01);
      // Net of the 1 % fee.
      assert.ok(Math.abs(ltc.usdPerHsDay! - 4e-9 * 0.99) < 1e-15, String(ltc.usdPerHsDay));
      assert.equal(first.route, 'max-usd-coin|algorithms=scrypt');

      const staying = await p.decisions.decide(ROUTE, {
        poolKey: 'sim:DOGE',
        since: secondsBefore(T0, 30),
      });
      // 30 s on DOGE: below the default dwell, the route stays.
      assert.equal(staying.chosen?.poolKey, 'sim:DOGE');
      assert.equal((staying.inputs as { dwellS: number }).dwellS, 30);
      assert.match(staying.reason, /dwell/);
    });

    it('a refused question is a rejection that names the refusal', async () => {
      const p = ports([direct]);
      await assert.rejects(p.decisions.decide({ ...ROUTE, profile: 'no-such-profile' }, null), (e) => {
        assert.ok(e instanceof ApiClientError);
        assert.equal(e.code, 'SM_PROXY_API_REFUSED');
        assert.equal(e.status, 400);
        return true;
      });
    });

    it('goes to the next URL when the first is down, and starts there next time', async () => {
      const down = `http://127.0.0.1:${await closedPort()}`;
      const client = new ApiClient({ urls: [down, direct], timeoutMs: 2000 });
      const p = ports([down, direct]);
      assert.equal((await p.decisions.decide(ROUTE, null)).chosen?.poolKey, 'sim:LTC');
      await client.get('/health', (await import('@smart-mining/api-contract')).healthResponse.partial());
      assert.equal(client.preferredUrl, direct);
      await assert.rejects(
        new ApiClient({ urls: [down], timeoutMs: 500 }).get('/v1', (await import('zod')).z.unknown()),
        (e: ApiClientError) => e.code === 'SM_PROXY_API_UNREACHABLE' && e.message.includes(down),
      );
    });

    it('checks profiles and hardware against the API; takes them as known while it is unreachable', async () => {
      const p = ports([through]);
      assert.equal(await p.directory.knownProfile('max-usd-coin'), true);
      assert.equal(await p.directory.knownProfile('no-such-profile'), false);
      assert.equal(await p.directory.knownHardware('no-such-device'), false);
      forwarder.cut();
      try {
        // Cached answers stand; an unasked name is not refused for an outage.
        assert.equal(await p.directory.knownProfile('no-such-profile'), false);
        assert.equal(await p.directory.knownProfile('other'), true);
      } finally {
        forwarder.restore();
      }
      assert.equal(p.directory.account('acct')?.wallets.LTC, 'ltcwallet');
      assert.equal(p.directory.account('nobody'), undefined);
      const bare = ports([direct], { bareWalletCoins: ['LTC'] });
      const wallet = 'LdP8Qox1VAhCzLJNqrr74YovaWYyNBUWvL';
      assert.deepEqual(bare.directory.account(wallet), { name: wallet, wallets: { LTC: wallet } });
      assert.equal(bare.directory.account('short'), undefined);
    });

    it('posts miner and switch reports with the proxy token; a switch sent twice is stored once', async () => {
      const p = ports([direct]);
      await p.reports.miners([
        {
          miner: 'acct.rig1',
          account: 'acct',
          worker: 'rig1',
          poolKey: 'sim:LTC',
          coin: 'LTC',
          profile: 'max-usd-coin',
          hardware: null,
          algorithm: 'scrypt',
          connectedAt: secondsBefore(T0, 100),
          accepted: 5,
          rejected: 1,
          stale: 0,
          hashrateHs: 1e6,
          usdPerDay: 0.004,
          agent: 'cpuminer',
        },
        { ...switchMinerless() },
      ]);
      const miners = (await (await fetch(`${direct}/v1/miners?proxy=proxy-test`)).json()) as {
        miners: { miner: string; accepted: number; poolKey: string; agent: string | null }[];
      };
      assert.deepEqual(
        miners.miners.map((m) => [m.miner, m.poolKey, m.accepted, m.agent]),
        [['acct.rig1', 'sim:LTC', 5, 'cpuminer']],
      );

      await p.reports.switched(switchReport('switch-key-0001'));
      await p.reports.switched(switchReport('switch-key-0001'));
      const log = (await (await fetch(`${direct}/v1/switches?proxy=proxy-test`)).json()) as {
        switches: { method: string; reason: string; miners: number; route: string }[];
      };
      assert.equal(log.switches.length, 1);
      assert.equal(log.switches[0]!.method, 'failover');
      assert.equal(log.switches[0]!.miners, 2);
      assert.equal(log.switches[0]!.route, 'max-usd-coin|algorithms=scrypt');
    });

    it('sums the sessions of one miner name on one pool: rigs sharing a worker name are all counted', async () => {
      const p = ports([direct], { proxyId: 'proxy-rigs' });
      const rig = {
        ...switchMinerless(),
        miner: 'acct.farm',
        worker: 'farm',
        poolKey: 'sim:LTC',
        coin: 'LTC',
      };
      await p.reports.miners([
        { ...rig, accepted: 5, rejected: 1, stale: 0, hashrateHs: 1e6, usdPerDay: 0.004, agent: 'cgminer' },
        {
          ...rig,
          connectedAt: secondsBefore(T0, 100),
          accepted: 7,
          rejected: 0,
          stale: 2,
          hashrateHs: 3e6,
          usdPerDay: 0.012,
        },
      ]);
      const miners = (await (await fetch(`${direct}/v1/miners?proxy=proxy-rigs`)).json()) as {
        miners: {
          miner: string;
          accepted: number;
          rejected: number;
          stale: number;
          hashrateHs: number;
          usdPerDay: number;
          connectedAt: string;
          agent: string | null;
        }[];
      };
      assert.equal(miners.miners.length, 1);
      const farm = miners.miners[0]!;
      assert.deepEqual(
        [farm.miner, farm.accepted, farm.rejected, farm.stale, farm.hashrateHs, farm.agent],
        ['acct.farm', 12, 1, 2, 4e6, 'cgminer'],
      );
      assert.ok(Math.abs(farm.usdPerDay - 0.016) < 1e-12, String(farm.usdPerDay));
      assert.equal(new Date(farm.connectedAt).getTime(), secondsBefore(T0, 100).getTime(), 'the earliest');
    });

    it('keeps a switch report the API did not take and sends it again with its key', async () => {
      const p = ports([through]);
      forwarder.cut();
      await p.reports.switched(switchReport('switch-key-0002', 4));
      assert.equal(p.reports.pending, 1);
      forwarder.restore();
      await p.reports.flush();
      assert.equal(p.reports.pending, 0);
      const log = (await (await fetch(`${direct}/v1/switches?proxy=proxy-test`)).json()) as {
        switches: { idempotencyKey: string }[];
      };
      assert.ok(log.switches.some((s) => s.idempotencyKey === 'switch-key-0002'));
    });

    it('refuses reports without the token', async () => {
      const p = ports([direct], { token: undefined });
      await assert.rejects(p.reports.miners([{ ...switchMinerless(), poolKey: 'sim:LTC' }]), /401/);
    });

    it('follows the event stream: rankings and profile events, resume after a break with a catch-up', async () => {
      const p = ports([through]);
      const seen: DecisionEvent[] = [];
      p.decisions.subscribe((e) => seen.push(e));
      p.start();
      try {
        await waitFor(() => p.events.state === 'open', { what: 'stream open' });
        await marketChanged(t.db);
        await waitFor(() => seen.some((e) => e.kind === 'rankings-changed'), { what: 'rankings-changed' });
        const created = await fetch(`${direct}/v1/profiles`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'quick', definition: { switching: { minDwellS: 0 } } }),
        });
        assert.equal(created.status, 201);
        await waitFor(() => seen.some((e) => e.kind === 'profile-changed' && e.profile === 'quick'), {
          what: 'profile-changed',
        });
        const before = p.events.lastEventId;
        assert.ok(before !== undefined);
        forwarder.cut();
        await waitFor(() => p.events.state !== 'open', { what: 'stream broken' });
        // An event while the stream is down: the resume brings it.
        const missed = await marketChanged(t.db);
        seen.length = 0;
        forwarder.restore();
        await waitFor(() => p.events.lastEventId === String(missed), { what: 'missed event replayed' });
        assert.ok(seen.some((e) => e.kind === 'catch-up'));
        assert.ok(seen.some((e) => e.kind === 'rankings-changed'));
      } finally {
        await p.stop();
      }
    });

    it('the event stream moves to the next URL when the first is down', async () => {
      const down = `http://127.0.0.1:${await closedPort()}`;
      const p = ports([down, direct]);
      const seen: DecisionEvent[] = [];
      p.decisions.subscribe((e) => seen.push(e));
      p.start();
      try {
        await waitFor(() => p.events.state === 'open', { what: 'stream open on the second URL' });
        assert.equal(p.events.url, direct);
        await marketChanged(t.db);
        await waitFor(() => seen.some((e) => e.kind === 'rankings-changed'), { what: 'event' });
      } finally {
        await p.stop();
      }
    });
  });
}

/** A miner not on any pool yet: not sent (the API keys stats by pool). */
function switchMinerless() {
  return {
    miner: 'acct.idle',
    account: 'acct',
    worker: 'idle',
    poolKey: null as string | null,
    coin: null,
    profile: 'max-usd-coin',
    hardware: null,
    algorithm: 'scrypt',
    connectedAt: secondsBefore(T0, 10),
    accepted: 0,
    rejected: 0,
    stale: 0,
    hashrateHs: 0,
    usdPerDay: null,
    agent: null,
  };
}
