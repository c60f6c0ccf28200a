import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { encodeGetVersion, encodePing, encodeReconnect, encodeShowMessage } from '@smart-mining/stratum';
import { waitFor } from '../wait-for.ts';
import { memoryDuplexPair } from './memory-duplex.ts';
import { MINER_PROFILES, type MinerProfileName } from './miner-profiles.ts';
import { SimMiner } from './sim-miner.ts';
import { SIM_DIFFICULTY, SimPool } from './sim-pool.ts';
import { TEST_TLS_CERT, TEST_TLS_KEY } from './test-tls.ts';

const PROFILES = Object.keys(MINER_PROFILES) as MinerProfileName[];
const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function pool(
  algorithm: 'sha256d' | 'scrypt',
  extra: Partial<ConstructorParameters<typeof SimPool>[0]> = {},
) {
  const p = await SimPool.start({ algorithm, difficulty: SIM_DIFFICULTY[algorithm], ...extra });
  cleanups.push(() => p.stop());
  return p;
}

async function miner(
  p: SimPool,
  profile: MinerProfileName,
  extra: Partial<ConstructorParameters<typeof SimMiner>[0]> = {},
) {
  const m = await SimMiner.start({
    host: '127.0.0.1',
    port: p.port,
    username: `acct.${profile}`,
    algorithm: p.algorithm,
    profile,
    ...extra,
  });
  cleanups.push(() => m.stop());
  return m;
}

/** Every share the miner submitted was answered, accepted, and recorded as accepted by the pool on the job it was built on. */
function assertAllAcceptedByIssuer(m: SimMiner, p: SimPool): void {
  assert.ok(m.shares.length > 0);
  for (const s of m.shares) {
    assert.equal(s.accepted, true, `share ${s.id}: ${JSON.stringify(s.error)}`);
    const record = p.shares.find(
      (r) => r.extranonce1 === s.extranonce1 && r.extranonce2 === s.extranonce2 && r.nonce === s.nonce,
    );
    assert.ok(record, `pool has share ${s.id}`);
    assert.equal(record.accepted, true);
    assert.deepEqual(s.poolJob, { poolId: p.id, seq: record.jobSeq });
  }
}

for (const algorithm of ['sha256d', 'scrypt'] as const) {
  describe(`simulated miner ↔ simulated pool, ${algorithm}`, () => {
    for (const profile of PROFILES) {
      it(`${profile}: every share accepted by the pool that issued its job`, async () => {
        const p = await pool(algorithm);
        const m = await miner(p, profile, { maxShares: 4 });
        await waitFor(() => m.shares.length === 4 && m.shares.every((s) => s.accepted !== undefined), {
          what: 'answers',
        });
        assertAllAcceptedByIssuer(m, p);
        assert.equal(p.stats().workers[`acct.${profile}`]?.accepted, 4);
        const rolls = MINER_PROFILES[profile].configureMask !== undefined;
        assert.equal(m.versionMask, rolls ? 0x1fffe000 : undefined);
        assert.equal(
          m.shares.every((s) => (s.versionBits !== undefined) === rolls),
          true,
        );
        const conn = [...p.connections.values()][0]!;
        assert.equal(
          conn.methodsSeen.includes('mining.extranonce.subscribe'),
          MINER_PROFILES[profile].extranonceSubscribe,
        );
        assert.equal(conn.methodsSeen.includes('mining.configure'), rolls);
        const suggests = MINER_PROFILES[profile].suggestDifficulty !== undefined;
        assert.equal(conn.suggestedDifficulty, suggests ? 1 : undefined);
      });
    }
  });
}

describe('simulated pool control', () => {
  it('set_difficulty applies from the next job, and shares are checked at the difficulty of their job', async () => {
    const p = await pool('sha256d');
    const m = await miner(p, 'cpuminer');
    await waitFor(() => m.accepted >= 2);
    p.setDifficulty(SIM_DIFFICULTY.sha256d * 2);
    const job = p.pushJob();
    await waitFor(() => m.shares.some((s) => s.jobId === job.jobId && s.accepted));
    m.stop();
    const onNew = p.shares.filter((r) => r.jobSeq === job.seq);
    assert.ok(
      onNew.length > 0 && onNew.every((r) => r.difficulty === SIM_DIFFICULTY.sha256d * 2 && r.accepted),
    );
    assert.ok(p.shares.some((r) => r.difficulty === SIM_DIFFICULTY.sha256d));
    assert.equal(m.jobs.at(-1)?.difficulty, SIM_DIFFICULTY.sha256d * 2);
  });

  it('set_extranonce reaches miners that subscribed, who mine on with the new extranonce1', async () => {
    const p = await pool('sha256d', { extranonce2Size: 4 });
    const opt = await miner(p, 'cpuminer-opt');
    const plain = await miner(p, 'cpuminer');
    await waitFor(() => opt.accepted >= 1 && plain.accepted >= 1);
    const before = opt.extranonce1;
    const told = p.setExtranonce({ extranonce2Size: 6 });
    assert.deepEqual(
      told.map((c) => c.extranonce1 !== before),
      [true],
    );
    await waitFor(() => opt.shares.some((s) => s.extranonce1 !== before && s.accepted));
    assert.equal(opt.extranonce2Size, 6);
    opt.stop();
    plain.stop();
    // Shares in flight under the old extranonce1 may be stale (21) after the switch's clean job; no other rejection.
    const [oldE1, newE1] = [
      opt.shares.filter((s) => s.extranonce1 === before),
      opt.shares.filter((s) => s.extranonce1 !== before),
    ];
    assert.ok(oldE1.every((s) => s.accepted || s.error?.code === 21));
    assert.ok(newE1.every((s) => s.accepted || s.accepted === undefined));
  });

  it('set_version_mask narrows the mask at once; shares stay within it', async () => {
    const p = await pool('sha256d');
    const m = await miner(p, 'antminer');
    await waitFor(() => m.accepted >= 1);
    p.setVersionMask(0x00006000);
    await waitFor(() => m.versionMask === 0x00006000);
    p.pushJob();
    const from = m.shares.length;
    await waitFor(() => m.shares.slice(from).filter((s) => s.accepted).length >= 3);
    m.stop();
    for (const s of m.shares.slice(from)) assert.equal(Number.parseInt(s.versionBits!, 16) & ~0x00006000, 0);
  });

  it('client.reconnect moves a cpuminer to another pool, where it resubscribes and mines', async () => {
    const a = await pool('scrypt');
    const b = await pool('scrypt');
    const m = await miner(a, 'cpuminer');
    await waitFor(() => m.accepted >= 1);
    a.broadcast(encodeReconnect('127.0.0.1', b.port));
    await waitFor(() => b.stats().accepted >= 2);
    assert.deepEqual(
      m.reconnects.map((r) => r.port),
      [b.port],
    );
    m.stop();
    assert.equal(m.rejected, 0);
    // Each answered share names (through its coinb2 tag) the pool whose job it was built on, and that pool accepted it.
    const byId = new Map([a, b].map((p) => [p.id, p]));
    for (const s of m.shares.filter((x) => x.accepted)) {
      const issuer = byId.get(s.poolJob!.poolId)!;
      assert.ok(issuer.shares.some((r) => r.accepted && r.jobSeq === s.poolJob!.seq && r.nonce === s.nonce));
    }
    assert.ok(
      m.shares.some((s) => s.poolJob?.poolId === a.id) && m.shares.some((s) => s.poolJob?.poolId === b.id),
    );
  });

  it('a resumed session keeps its extranonce1', async () => {
    const p = await pool('sha256d');
    const m = await miner(p, 'cpuminer');
    const first = m.extranonce1;
    p.broadcast(encodeReconnect('127.0.0.1', p.port));
    await waitFor(() => m.reconnects.length === 1 && m.state === 'mining');
    assert.equal(m.extranonce1, first);
  });

  it('get_version, ping and show_message are answered as each profile does', async () => {
    const p = await pool('sha256d');
    const opt = await miner(p, 'cpuminer-opt');
    const plain = await miner(p, 'cpuminer');
    p.broadcast(encodeGetVersion(77));
    p.broadcast(encodePing(78));
    p.broadcast(encodeShowMessage('hello miners'));
    const [optConn, plainConn] = [...p.connections.values()];
    await waitFor(() => optConn!.answers.length === 2 && plainConn!.answers.length === 1);
    assert.deepEqual(
      optConn!.answers.map((a) => a.kind === 'response' && a.result),
      ['cpuminer-opt/23.15', 'pong'],
    );
    assert.deepEqual(
      plainConn!.answers.map((a) => a.kind === 'response' && a.result),
      ['cpuminer/2.5.1'],
    );
    await waitFor(() => opt.messages.length === 1 && plain.messages[0] === 'hello miners');
  });

  it('serves any Duplex through handle(), e.g. an in-memory pair', async () => {
    const p = await pool('sha256d');
    const m = await miner(p, 'cpuminer-opt', {
      maxShares: 2,
      dial: () => {
        const [minerEnd, poolEnd] = memoryDuplexPair();
        p.handle(poolEnd);
        return minerEnd;
      },
    });
    await waitFor(() => m.accepted === 2);
    assertAllAcceptedByIssuer(m, p);
    m.stop();
    await waitFor(() => p.connections.size === 0);
  });

  it('serves TLS', async () => {
    const p = await pool('sha256d', { tls: { key: TEST_TLS_KEY, cert: TEST_TLS_CERT } });
    assert.ok(p.url.startsWith('stratum+ssl://127.0.0.1:'));
    const m = await miner(p, 'bitaxe', { tls: true, maxShares: 2 });
    await waitFor(() => m.accepted === 2);
    assertAllAcceptedByIssuer(m, p);
  });

  it('timed jobs go out every interval, every cleanEvery-th one clean', async () => {
    const p = await pool('sha256d', { jobIntervalMs: 20, cleanEvery: 2 });
    const m = await miner(p, 'cgminer');
    await waitFor(() => m.jobs.length >= 5);
    const timed = p.jobsSent.slice(1);
    assert.ok(timed.length >= 4);
    assert.deepEqual(
      timed.slice(0, 4).map((j) => j.clean),
      [false, true, false, true],
    );
  });
});

describe('long runs keep bounded records', () => {
  it('a miner with keepRecords keeps its newest shares and jobs, and counts every share', async () => {
    const p = await pool('sha256d', { jobIntervalMs: 10, cleanEvery: 1_000_000 });
    const m = await miner(p, 'cgminer', { keepRecords: 5, maxShares: 30, shareIntervalMs: 5 });
    await waitFor(() => m.accepted === 30 && m.jobs.length > 0 && p.stats().jobs > 40, {
      what: '30 accepted shares over 40 jobs',
    });
    assert.equal(m.submitted, 30);
    assert.equal(m.rejected, 0);
    assert.ok(m.shares.length >= 5 && m.shares.length <= 10, `${m.shares.length} shares kept`);
    assert.ok(m.jobs.length >= 5 && m.jobs.length <= 10, `${m.jobs.length} jobs kept`);
    const ids = m.shares.map((s) => s.id);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
    assert.ok(m.shares.every((s) => s.accepted === true));
    // The pool's connection lists each method once, not each submit.
    const [conn] = p.connections.values();
    assert.equal(conn!.methodsSeen.filter((x) => x === 'mining.submit').length, 1);
  });

  it('a pool that records no shares keeps only its newest jobs', async () => {
    const p = await pool('scrypt', { jobIntervalMs: 1, recordShares: false });
    await waitFor(() => p.stats().jobs > 250, { what: '250 jobs', timeoutMs: 20_000 });
    assert.ok(p.jobsSent.length <= 200, `${p.jobsSent.length} jobs kept`);
    assert.equal(p.jobsSent.at(-1)!.seq, Math.max(...p.jobsSent.map((j) => j.seq)));
  });
});
