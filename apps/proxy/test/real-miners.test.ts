// Real miner programs as transcripts against a live proxy on real sockets and simulated pools: each writes what
// that program writes (its key order, ids, members, line ends, batching) and reads what it reads. For each:
// login, first job, shares accepted by the pool that issued the job, a switch to another pool without reconnect
// (set_difficulty + clean notify, set_version_mask or set_extranonce where it applies), and shares after it.

import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { uint32FromHex, uint32ToHex } from '@smart-mining/stratum';
import { SIM_DIFFICULTY, type SimPoolOptions, simJobOrigin, waitFor } from '@smart-mining/testkit';
import { type Harness, startHarness } from './harness.ts';
import { outcome } from './script-proxy.ts';
import { findShare } from './share-finder.ts';
import { type WireJob, WireMiner } from './wire-miner.ts';

const D = SIM_DIFFICULTY.sha256d;

let h: Harness | undefined;
const miners: WireMiner[] = [];
afterEach(async () => {
  for (const m of miners.splice(0)) m.close();
  await h?.stop();
  h = undefined;
});

/** A proxy on pools A (id aaaa, ranked first) and B (id bbbb, twice A's difficulty unless told). */
async function twoPools(
  a: Partial<SimPoolOptions> = {},
  b: Partial<SimPoolOptions> = {},
  algorithm: 'sha256d' | 'scrypt' = 'sha256d',
  upstreamMode: 'shared' | 'per-miner' = 'shared',
): Promise<Harness> {
  const base = SIM_DIFFICULTY[algorithm];
  h = await startHarness({
    algorithm,
    pools: [
      { poolKey: 'a:X', options: { id: 'aaaa', difficulty: base, ...a } },
      { poolKey: 'b:X', options: { id: 'bbbb', difficulty: base * 2, ...b } },
    ],
    listener: { upstreamMode },
  });
  return h;
}

async function connect(port: number): Promise<WireMiner> {
  const m = await WireMiner.connect(port);
  miners.push(m);
  return m;
}

const poolOf = (job: WireJob) => simJobOrigin(job.params.coinb2)?.poolId;

/** Moves the route to pool B and waits for the miner's first job from B. */
async function switchToB(m: WireMiner, subscribeId: number | string, configureId?: number | string) {
  h!.decisions.rank([h!.targets.get('b:X')!, h!.targets.get('a:X')!], 'b pays more');
  return waitFor(() => m.jobs(subscribeId, configureId).find((j) => poolOf(j) === 'bbbb'), {
    what: 'the first job from pool B',
  });
}

/** The n-th extranonce2 of the job's size, as the miner counts it. */
const xn2 = (job: WireJob, n: number) => n.toString(16).padStart(2 * job.extranonce2Size, '0');

describe('NerdMiner (NerdMiner_v2 stratum.cpp)', () => {
  // Its submit writes the nonce with Arduino's String(nonce, HEX): lowercase, no leading zeros. It counts
  // nonces up from 0, so at a hobby miner's rate nearly every share it finds has a short nonce.
  const submitLine = (id: number, job: WireJob, x2: string, nonce: string) =>
    `{"id": ${id}, "method": "mining.submit", "params": ["acct.nerd","${job.params.jobId}","${x2}","${job.params.ntime}","${nonce}"]}\n`;

  for (const mode of ['shared', 'per-miner'] as const) {
    it(`subscribe, authorize, suggest_difficulty; shares with unpadded nonces accepted on A, then on B after the switch (${mode} upstreams)`, async () => {
      const { port } = await twoPools({}, {}, 'sha256d', mode);
      const m = await connect(port);
      m.write('{"id": 1, "method": "mining.subscribe", "params": ["NerdMinerV2"]}\n');
      // It reads exactly one line for the subscribe answer: nothing may come before it.
      await m.answer(1);
      const first = JSON.parse(m.lines[0]!) as { id: number; result: unknown[]; error: unknown };
      assert.equal(first.id, 1);
      assert.equal(first.error, null);
      assert.equal(
        typeof (first.result as string[][][])[0]![0]![1],
        'string',
        'result[0][0][1], its sub_details',
      );
      m.write('{"params": ["acct.nerd", "x"], "id": 2, "method": "mining.authorize"}\n');
      m.write('{"id": 3, "method": "mining.suggest_difficulty", "params": [0.00015]}\n');
      assert.equal(outcome(await m.answer(2)), true);
      assert.equal(outcome(await m.answer(3)), true);

      const job = await m.nthJob(1, 1);
      assert.equal(poolOf(job), 'aaaa');
      let id = 4;
      for (const n of [1, 2, 3]) {
        const share = findShare('sha256d', job.params, job.extranonce1, xn2(job, n), job.difficulty);
        const unpadded = Number.parseInt(share.nonce, 16).toString(16);
        assert.ok(unpadded.length < 8, 'the nonce found has leading zeros');
        m.write(submitLine(id, job, share.extranonce2, unpadded));
        assert.equal(outcome(await m.answer(id)), true, `share ${n} with nonce ${unpadded}`);
        const record = h!.pools.get('a:X')!.shares.at(-1);
        assert.equal(record?.accepted, true);
        assert.equal(record?.nonce, share.nonce, 'the pool got the nonce as 8 hex digits');
        id++;
      }

      const onB = await switchToB(m, 1);
      assert.equal(onB.params.cleanJobs, true);
      assert.equal(onB.difficulty, D * 2, 'set_difficulty before the clean notify');
      const share = findShare('sha256d', onB.params, onB.extranonce1, xn2(onB, 9), onB.difficulty);
      m.write(submitLine(id, onB, share.extranonce2, Number.parseInt(share.nonce, 16).toString(16)));
      assert.equal(outcome(await m.answer(id)), true);
      assert.equal(h!.pools.get('b:X')!.shares.at(-1)?.accepted, true);
      assert.equal(m.closed, false);
    });
  }
});

describe('Bitaxe (ESP-Miner stratum_task.c, stratum_api.c)', () => {
  const line = (id: number, method: string, params: string) =>
    `{"jsonrpc": "2.0", "id": ${id}, "method": "${method}", "params": ${params}}\n`;
  /** Its 6th param is the rolled version XOR the job's version (`%08lx`), all fields zero-padded. */
  const submitLine = (
    id: number,
    job: WireJob,
    share: { extranonce2: string; nonce: string },
    bits: number,
  ) =>
    line(
      id,
      'mining.submit',
      `["acct.axe", "${job.params.jobId}", "${share.extranonce2}", "${job.params.ntime}", "${share.nonce}", "${uint32ToHex(bits)}"]`,
    );
  /** A share on a rolled version: the bits sent are rolled ^ job version, the header carries `rolled`. */
  const rolledShare = (job: WireJob, n: number, rollBits: number) => {
    const jobVersion = uint32FromHex(job.params.version);
    const rolled = ((jobVersion & ~job.versionMask) | (rollBits & job.versionMask)) >>> 0;
    const sent = (rolled ^ jobVersion) >>> 0;
    const share = findShare('sha256d', job.params, job.extranonce1, xn2(job, n), job.difficulty, {
      versionBits: uint32ToHex(sent),
      versionMask: job.versionMask,
    });
    return { share, sent };
  };

  for (const mode of ['shared', 'per-miner'] as const) {
    it(`configure, subscribe and authorize in one write; suggest_difficulty and extranonce.subscribe after; rolled shares on A, set_version_mask and shares on B (${mode} upstreams)`, async () => {
      const { port } = await twoPools({}, { versionMask: 0x00ffe000 }, 'sha256d', mode);
      const m = await connect(port);
      m.write(
        line(1, 'mining.configure', '[["version-rolling"], {"version-rolling.mask": "ffffffff"}]') +
          line(2, 'mining.subscribe', '["bitaxe/BM1370/v2.9.0"]') +
          line(3, 'mining.authorize', '["acct.axe", "x"]'),
      );
      // It reads the configure answer by id 1: an object with the mask, error null.
      const configured = JSON.parse(await m.rawAnswer(1)) as {
        result: Record<string, unknown>;
        error: unknown;
      };
      assert.equal(configured.error, null);
      assert.deepEqual(configured.result, { 'version-rolling': true, 'version-rolling.mask': '1fffe000' });
      assert.equal(outcome(await m.answer(2)) !== undefined, true);
      assert.equal(outcome(await m.answer(3)), true);
      // After each setup answer accepted (ids under 5) it sends suggest_difficulty and, when set, extranonce.subscribe.
      m.write(line(4, 'mining.suggest_difficulty', '[1000]') + line(5, 'mining.extranonce.subscribe', '[]'));
      assert.equal(outcome(await m.answer(4)), true);
      assert.equal(outcome(await m.answer(5)), true);
      m.write(line(6, 'mining.extranonce.subscribe', '[]'));
      assert.equal(outcome(await m.answer(6)), true);

      const job = await m.nthJob(1, 2, 1);
      assert.equal(poolOf(job), 'aaaa');
      assert.equal(job.versionMask, 0x1fffe000);
      let id = 7;
      for (const [n, bits] of [
        [1, 0x00002000],
        [2, 0x1fffe000],
        [3, 0],
      ] as const) {
        const { share, sent } = rolledShare(job, n, bits);
        m.write(submitLine(id, job, share, sent));
        assert.equal(outcome(await m.answer(id)), true, `share rolled with ${uint32ToHex(bits)}`);
        const record = h!.pools.get('a:X')!.shares.at(-1);
        assert.equal(record?.accepted, true);
        assert.equal(record?.versionBits, uint32ToHex(sent));
        id++;
      }

      const onB = await switchToB(m, 2, 1);
      assert.equal(onB.versionMask, 0x00ffe000, 'set_version_mask before the first job from B');
      assert.equal(onB.params.cleanJobs, true);
      assert.equal(onB.difficulty, D * 2);
      assert.equal(m.calls('client.reconnect').length, 0);
      const { share, sent } = rolledShare(onB, 9, 0x00ffe000);
      m.write(submitLine(id, onB, share, sent));
      assert.equal(outcome(await m.answer(id)), true);
      assert.equal(h!.pools.get('b:X')!.shares.at(-1)?.accepted, true);
      assert.equal(h!.pools.get('b:X')!.shares.at(-1)?.versionBits, uint32ToHex(sent));
      id++;
      // A bit B does not allow is refused while B's job is mined (BIP 310: version_bits & ~mask must be 0).
      const outside = rolledShare({ ...onB, versionMask: 0x1fffe000 }, 10, 0x10000000);
      m.write(submitLine(id, onB, outside.share, outside.sent));
      assert.equal(outcome(await m.answer(id)), 20);
      id++;

      // Back to A: the wider mask again, before A's job; a share rolled over it is accepted by A.
      const seen = m.jobs(2, 1).length;
      h!.decisions.rank([h!.targets.get('a:X')!, h!.targets.get('b:X')!], 'a pays more');
      const backOnA = await waitFor(
        () =>
          m
            .jobs(2, 1)
            .slice(seen)
            .find((j) => poolOf(j) === 'aaaa'),
        {
          what: 'a job from A again',
        },
      );
      assert.equal(backOnA.versionMask, 0x1fffe000);
      assert.equal(backOnA.difficulty, D);
      const wide = rolledShare(backOnA, 11, 0x10000000);
      m.write(submitLine(id, backOnA, wide.share, wide.sent));
      assert.equal(outcome(await m.answer(id)), true);
      assert.equal(h!.pools.get('a:X')!.shares.at(-1)?.versionBits, uint32ToHex(wide.sent));
      assert.equal(m.calls('client.reconnect').length, 0);
    });
  }
});

describe('cgminer-based firmware (Whatsminer, Avalon: cgminer util.c)', () => {
  // Ids count from 0 (a static swork_id); submits put params first; "#xnsub" pools get extranonce.subscribe.
  const submitLine = (id: number, job: WireJob, share: { extranonce2: string; nonce: string }) =>
    `{"params": ["acct.cg", "${job.params.jobId}", "${share.extranonce2}", "${job.params.ntime}", "${share.nonce}"], "id": ${id}, "method": "mining.submit"}\n`;

  it('subscribe with id 0, resume with the session id after a reconnect; extranonce.subscribe; set_extranonce to fit a tight pool, and back', async () => {
    // B's extranonce2 leaves the miner 2 bytes (k = 1): it needs set_extranonce.
    const { port } = await twoPools({}, { extranonce2Size: 3 });
    const first = await connect(port);
    first.write('{"id": 0, "method": "mining.subscribe", "params": ["cgminer/4.11.1"]}\n');
    const sub = await first.answer(0);
    assert.equal(sub.kind, 'response');
    const [[, [, sessionId]], extranonce1] = (sub as { result: [[unknown, [string, string]], string] })
      .result;
    first.write('{"id": 1, "method": "mining.authorize", "params": ["acct.cg", "x"]}\n');
    assert.equal(outcome(await first.answer(1)), true);
    await first.nthJob(1, 0);
    first.close();
    await waitFor(() => h!.proxy.miners().length === 0, { what: 'the first connection gone' });

    const m = await connect(port);
    m.write(`{"id": 2, "method": "mining.subscribe", "params": ["cgminer/4.11.1", "${sessionId}"]}\n`);
    const resumed = await m.answer(2);
    assert.equal((resumed as { result: unknown[] }).result[1], extranonce1, 'the same extranonce1 back');
    m.write('{"id": 3, "method": "mining.authorize", "params": ["acct.cg", "x"]}\n');
    m.write('{"id": 4, "method": "mining.extranonce.subscribe", "params": []}\n');
    m.write('{"id": 5, "method": "mining.suggest_difficulty", "params": [512]}\n');
    for (const id of [3, 4, 5]) assert.equal(outcome(await m.answer(id)), true, `answer ${id}`);

    const job = await m.nthJob(1, 2);
    let share = findShare('sha256d', job.params, job.extranonce1, xn2(job, 1), job.difficulty);
    m.write(submitLine(6, job, share));
    assert.equal(outcome(await m.answer(6)), true);
    assert.equal(h!.pools.get('a:X')!.shares.at(-1)?.accepted, true);

    const onB = await switchToB(m, 2);
    assert.equal(m.calls('mining.set_extranonce').length, 1);
    assert.deepEqual(m.calls('mining.set_extranonce')[0]?.params, [extranonce1, 2]);
    assert.equal(onB.extranonce2Size, 2);
    assert.equal(onB.params.cleanJobs, true);
    share = findShare('sha256d', onB.params, onB.extranonce1, xn2(onB, 1), onB.difficulty);
    m.write(submitLine(7, onB, share));
    assert.equal(outcome(await m.answer(7)), true);
    assert.equal(h!.pools.get('b:X')!.shares.at(-1)?.accepted, true);

    // Back to A: the miner keeps its 2 bytes (they fit A too) and mines there.
    const seen = m.jobs(2).length;
    h!.decisions.rank([h!.targets.get('a:X')!, h!.targets.get('b:X')!], 'a pays more');
    const backOnA = await waitFor(
      () =>
        m
          .jobs(2)
          .slice(seen)
          .find((j) => poolOf(j) === 'aaaa'),
      {
        what: 'a job from A again',
      },
    );
    assert.equal(backOnA.extranonce2Size, 2);
    share = findShare('sha256d', backOnA.params, backOnA.extranonce1, xn2(backOnA, 2), backOnA.difficulty);
    m.write(submitLine(8, backOnA, share));
    assert.equal(outcome(await m.answer(8)), true);
    assert.equal(h!.pools.get('a:X')!.shares.at(-1)?.accepted, true);
    assert.equal(m.calls('client.reconnect').length, 0);
  });
});

describe('bfgminer (util.c initiate_stratum, auth_stratum)', () => {
  it('suggest_target and capabilities as notifications before subscribe, string ids, get_transactions; mines on A and B', async () => {
    const { port } = await twoPools();
    const m = await connect(port);
    const target = '00000000ffff0000000000000000000000000000000000000000000000000000';
    m.write(`{"id": null, "method": "mining.suggest_target", "params": ["${target}"]}\n`);
    m.write(
      `{"id":null,"method":"mining.capabilities","params":[{"notify":[],"set_difficulty":{},"set_goal":[],"malgo":{"SHA256d":{},"scrypt":{}},"suggested_target":"${target}"}]}\n`,
    );
    m.write('{"id": 0, "method": "mining.subscribe", "params": ["bfgminer/5.5.0"]}\n');
    await m.answer(0);
    // It reads one line after subscribe and takes it as the answer: the notifications got none.
    assert.equal((JSON.parse(m.lines[0]!) as { id: unknown }).id, 0);
    m.write('{"id": "xnsub", "method": "mining.extranonce.subscribe", "params": []}\n');
    m.write('{"id": "auth", "method": "mining.authorize", "params": ["acct.bfg", "x"]}\n');
    assert.equal(outcome(await m.answer('xnsub')), true);
    assert.equal(outcome(await m.answer('auth')), true);

    const job = await m.nthJob(1, 0);
    m.write(
      `{"params": ["${job.params.jobId}"], "id": "txlist${job.params.jobId}", "method": "mining.get_transactions"}\n`,
    );
    assert.equal(outcome(await m.answer(`txlist${job.params.jobId}`)), 20);
    let share = findShare('sha256d', job.params, job.extranonce1, xn2(job, 1), job.difficulty);
    m.write(
      `{"params": ["acct.bfg", "${job.params.jobId}", "${share.extranonce2}", "${share.ntime}", "${share.nonce}"], "id": 3, "method": "mining.submit"}\n`,
    );
    assert.equal(outcome(await m.answer(3)), true);
    assert.equal(h!.pools.get('a:X')!.shares.at(-1)?.accepted, true);

    const onB = await switchToB(m, 0);
    assert.equal(onB.params.cleanJobs, true);
    share = findShare('sha256d', onB.params, onB.extranonce1, xn2(onB, 2), onB.difficulty);
    m.write(
      `{"params": ["acct.bfg", "${onB.params.jobId}", "${share.extranonce2}", "${share.ntime}", "${share.nonce}"], "id": 4, "method": "mining.submit"}\n`,
    );
    assert.equal(outcome(await m.answer(4)), true);
    assert.equal(h!.pools.get('b:X')!.shares.at(-1)?.accepted, true);
  });
});

describe('braiins OS in V1 mode (ii-stratum V1 client)', () => {
  it('configure with id 0 and min-bit-count 16, compact JSON; 6-param submits on A, then B', async () => {
    const { port } = await twoPools();
    const m = await connect(port);
    m.write(
      '{"id":0,"method":"mining.configure","params":[["version-rolling"],{"version-rolling.mask":"1fffe000","version-rolling.min-bit-count":16}]}\n',
    );
    const configured = await m.answer(0);
    assert.deepEqual((configured as { result: unknown }).result, {
      'version-rolling': true,
      'version-rolling.mask': '1fffe000',
    });
    m.write('{"id":1,"method":"mining.subscribe","params":["Braiins OS 23.03"]}\n');
    m.write('{"id":2,"method":"mining.authorize","params":["acct.bos","x"]}\n');
    await m.answer(1);
    assert.equal(outcome(await m.answer(2)), true);
    let id = 3;
    for (const pool of ['a:X', 'b:X']) {
      const job = pool === 'a:X' ? await m.nthJob(1, 1, 0) : await switchToB(m, 1, 0);
      const bits = uint32ToHex(0x0000e000 & job.versionMask);
      const share = findShare('sha256d', job.params, job.extranonce1, xn2(job, id), job.difficulty, {
        versionBits: bits,
        versionMask: job.versionMask,
      });
      m.write(
        `{"id":${id},"method":"mining.submit","params":["acct.bos","${job.params.jobId}","${share.extranonce2}","${share.ntime}","${share.nonce}","${bits}"]}\n`,
      );
      assert.equal(outcome(await m.answer(id)), true, pool);
      assert.equal(h!.pools.get(pool)!.shares.at(-1)?.versionBits, bits);
      id++;
    }
  });
});

describe('wire shapes every miner may send', () => {
  it('\\r\\n line ends, lines split over many packets and batched in one, ids of every JSON type echoed as sent', async () => {
    const { port } = await twoPools();
    const m = await connect(port);
    await m.writeInPieces(
      '{"id": "sub-1", "method": "mining.subscribe", "params": ["wire/1", null, "extra"]}\r\n',
      3,
    );
    await m.answer('sub-1');
    m.write(
      '{"id": 0, "method": "mining.authorize", "params": ["acct.wire", 123, "extra"]}\r\n' +
        '{"id": -7, "method": "mining.suggest_difficulty", "params": ["1000.000000"]}\r\n' +
        '{"id": 2.5, "method": "mining.extranonce.subscribe", "params": {}}\r\n' +
        '{"id": 9007199254740991, "method": "keepalived", "params": []}\r\n' +
        '{"id": "", "method": "mining.ping", "params": []}\r\n' +
        '{"method": "mining.suggest_difficulty", "params": [64]}\r\n' +
        '{"id": null, "method": "mining.extranonce.subscribe", "params": []}\r\n',
    );
    for (const id of [0, -7, 2.5, 9007199254740991])
      assert.equal(outcome(await m.answer(id)), true, `id ${id}`);
    assert.equal(outcome(await m.answer('')), 'pong');
    for (const id of ['0', '-7', '2.5', '9007199254740991', '""']) {
      assert.ok(
        m.lines.some((l) => l.startsWith(`{"id":${id},`)),
        `the id ${id} written back as the miner wrote it`,
      );
    }
    const job = await m.nthJob(1, 'sub-1');
    const share = findShare('sha256d', job.params, job.extranonce1, xn2(job, 1), job.difficulty);
    await m.writeInPieces(
      `{"id": "s1", "method": "mining.submit", "params": ["acct.wire", "${job.params.jobId}", "${share.extranonce2}", "${share.ntime}", "${share.nonce}", null, "extra"]}\r\n`,
      1,
    );
    assert.equal(outcome(await m.answer('s1')), true);
    assert.equal(h!.pools.get('a:X')!.shares.at(-1)?.accepted, true);
    // Notifications (no id, id null) are never answered: every answer the miner got has an id it sent.
    const answered = m.messages.filter((x) => x.kind === 'response' || x.kind === 'error').map((x) => x.id);
    assert.deepEqual(new Set(answered), new Set(['sub-1', 0, -7, 2.5, 9007199254740991, '', 's1']));
  });
});

describe('mining.configure with every BIP 310 extension at once, and one nobody knows', () => {
  it('every listed code gets a value; subscribe-extranonce alone is enough for set_extranonce on a tight pool', async () => {
    const { port } = await twoPools({}, { extranonce2Size: 3 });
    const m = await connect(port);
    m.write(
      `${JSON.stringify({
        id: 1,
        method: 'mining.configure',
        params: [
          ['version-rolling', 'minimum-difficulty', 'subscribe-extranonce', 'info', 'x-vendor-thing'],
          {
            'version-rolling.mask': '1FFFE000',
            'version-rolling.min-bit-count': '00000002',
            'minimum-difficulty.value': 2048,
            'info.connection-url': 'stratum+tcp://127.0.0.1',
            'info.hw-version': 'S19 XP',
            'info.sw-version': '23.03',
            'info.hw-id': 42,
            'x-vendor-thing.level': 3,
          },
        ],
      })}\n`,
    );
    const configured = await m.answer(1);
    assert.equal(configured.kind, 'response');
    assert.deepEqual((configured as { result: unknown }).result, {
      'version-rolling': true,
      'version-rolling.mask': '1fffe000',
      // The proxy keeps the pool's difficulty: it says so instead of pretending.
      'minimum-difficulty': false,
      'subscribe-extranonce': true,
      info: true,
      'x-vendor-thing': false,
    });
    m.write('{"id": 2, "method": "mining.subscribe", "params": ["multi/1"]}\n');
    m.write('{"id": 3, "method": "mining.authorize", "params": ["acct.multi", "x"]}\n');
    await m.answer(2);
    assert.equal(outcome(await m.answer(3)), true);
    const job = await m.nthJob(1, 2, 1);
    const submit = (id: number, j: WireJob, n: number) => {
      const bits = uint32ToHex(0x00006000 & j.versionMask);
      const share = findShare('sha256d', j.params, j.extranonce1, xn2(j, n), j.difficulty, {
        versionBits: bits,
        versionMask: j.versionMask,
      });
      m.write(
        `{"id": ${id}, "method": "mining.submit", "params": ["acct.multi", "${j.params.jobId}", "${share.extranonce2}", "${share.ntime}", "${share.nonce}", "${bits}"]}\n`,
      );
      return m.answer(id);
    };
    assert.equal(outcome(await submit(4, job, 1)), true);
    const onB = await switchToB(m, 2, 1);
    assert.equal(m.calls('client.reconnect').length, 0);
    assert.equal(m.calls('mining.set_extranonce').length, 1);
    assert.equal(onB.extranonce2Size, 2);
    assert.equal(outcome(await submit(5, onB, 1)), true);
    assert.equal(h!.pools.get('b:X')!.shares.at(-1)?.accepted, true);
  });
});

describe('pooler cpuminer on scrypt (util.c: no set_extranonce, obeys client.reconnect with host and port)', () => {
  it('mines on A; a pool too tight for its extranonce2 sends it client.reconnect; it comes back with its session id and mines on B', async () => {
    const { port } = await twoPools({}, { extranonce2Size: 3 }, 'scrypt');
    const first = await connect(port);
    first.write('{"id": 1, "method": "mining.subscribe", "params": ["cpuminer/2.5.1"]}\n');
    const sub = await first.answer(1);
    const [[, [, sessionId]]] = (sub as { result: [[unknown, [string, string]]] }).result;
    first.write('{"id": 2, "method": "mining.authorize", "params": ["acct.cpu", "x"]}\n');
    assert.equal(outcome(await first.answer(2)), true);
    const job = await first.nthJob(1, 1);
    let share = findShare('scrypt', job.params, job.extranonce1, xn2(job, 1), job.difficulty);
    first.write(
      `{"method": "mining.submit", "params": ["acct.cpu", "${job.params.jobId}", "${share.extranonce2}", "${share.ntime}", "${share.nonce}"], "id":4}\n`,
    );
    assert.equal(outcome(await first.answer(4)), true);
    assert.equal(h!.pools.get('a:X')!.shares.at(-1)?.accepted, true);

    h!.decisions.rank([h!.targets.get('b:X')!, h!.targets.get('a:X')!], 'b pays more');
    const reconnect = await waitFor(() => first.calls('client.reconnect')[0], { what: 'client.reconnect' });
    const [host, toPort] = reconnect.params as [string, number];
    assert.equal(host, '127.0.0.1');
    assert.equal(toPort, port);
    first.close();

    const m = await connect(toPort);
    m.write(`{"id": 1, "method": "mining.subscribe", "params": ["cpuminer/2.5.1", "${sessionId}"]}\n`);
    const again = await m.answer(1);
    assert.equal((again as { result: unknown[] }).result[2], 2, 'an extranonce2_size that fits B');
    m.write('{"id": 2, "method": "mining.authorize", "params": ["acct.cpu", "x"]}\n');
    assert.equal(outcome(await m.answer(2)), true);
    const onB = await m.nthJob(1, 1);
    assert.equal(poolOf(onB), 'bbbb');
    share = findShare('scrypt', onB.params, onB.extranonce1, xn2(onB, 1), onB.difficulty);
    m.write(
      `{"method": "mining.submit", "params": ["acct.cpu", "${onB.params.jobId}", "${share.extranonce2}", "${share.ntime}", "${share.nonce}"], "id":5}\n`,
    );
    assert.equal(outcome(await m.answer(5)), true);
    assert.equal(h!.pools.get('b:X')!.shares.at(-1)?.accepted, true);
  });
});

describe('Bitaxe before ESP-Miner 2.1: subscribe, configure, suggest_difficulty, then authorize', () => {
  it('the older order in one write: each answered by id, a rolled share accepted', async () => {
    const { port } = await twoPools();
    const m = await connect(port);
    const line = (id: number, method: string, params: string) =>
      `{"id": ${id}, "method": "${method}", "params": ${params}}\n`;
    m.write(
      line(1, 'mining.subscribe', '["bitaxe/BM1366/v2.0.3"]') +
        line(2, 'mining.configure', '[["version-rolling"], {"version-rolling.mask": "ffffffff"}]') +
        line(3, 'mining.suggest_difficulty', '[1000]') +
        line(4, 'mining.authorize', '["acct.axe", "x"]'),
    );
    await m.answer(1);
    assert.equal((await m.answer(2)).kind, 'response');
    assert.equal(outcome(await m.answer(3)), true);
    assert.equal(outcome(await m.answer(4)), true);
    // Answers in the order asked: the miner matches by id, but no answer may jump ahead of an earlier one.
    const order = m.lines
      .map((l) => JSON.parse(l) as { id: unknown; method?: string })
      .filter((x) => x.method === undefined)
      .map((x) => x.id);
    assert.deepEqual(order.slice(0, 4), [1, 2, 3, 4]);
    const job = await m.nthJob(1, 1, 2);
    const bits = uint32ToHex(0x0001e000);
    const share = findShare('sha256d', job.params, job.extranonce1, xn2(job, 1), job.difficulty, {
      versionBits: bits,
      versionMask: job.versionMask,
    });
    m.write(
      line(
        5,
        'mining.submit',
        `["acct.axe", "${job.params.jobId}", "${share.extranonce2}", "${share.ntime}", "${share.nonce}", "${bits}"]`,
      ),
    );
    assert.equal(outcome(await m.answer(5)), true);
    assert.equal(h!.pools.get('a:X')!.shares.at(-1)?.versionBits, bits);
  });
});

describe('Antminer stock firmware (bmminer) in low power mode', () => {
  // After a successful authorize it sends suggest_difficulty, multi_version, then mining.configure with a
  // narrow mask (00e00000, min-bit-count 3): the configure comes when the miner may already be mining.
  it('configure after authorize is answered with the mask of the pool it mines; set_version_mask on a switch to a narrower pool', async () => {
    const { port } = await twoPools({}, { versionMask: 0x00600000 });
    const m = await connect(port);
    m.write('{"id": 0, "method": "mining.subscribe", "params": ["bmminer/2.0.0"]}\n');
    await m.answer(0);
    m.write('{"id": 1, "method": "mining.authorize", "params": ["acct.s9", "123"]}\n');
    assert.equal(outcome(await m.answer(1)), true);
    await m.nthJob(1, 0);
    m.write('{"id": 2, "method": "mining.suggest_difficulty", "params": [2048]}\n');
    m.write('{"id": 3, "method": "mining.multi_version", "params": [4]}\n');
    m.write(
      '{"id":4, "method":"mining.configure", "params":[["version-rolling"],{"version-rolling.mask":"00e00000","version-rolling.min-bit-count":3}]}\n',
    );
    assert.equal(outcome(await m.answer(2)), true);
    // Unknown here and never forwarded: an error answer, which this firmware files as an untracked share.
    assert.equal(outcome(await m.answer(3)), 20);
    const configured = await m.answer(4);
    assert.deepEqual((configured as { result: unknown }).result, {
      'version-rolling': true,
      'version-rolling.mask': '00e00000',
    });
    const job = { ...(await m.nthJob(1, 0, 4)), versionMask: 0x00e00000 };
    const submit = (id: number, j: WireJob, bits: number) => {
      const share = findShare('sha256d', j.params, j.extranonce1, xn2(j, id), j.difficulty, {
        versionBits: uint32ToHex(bits),
        versionMask: j.versionMask,
      });
      m.write(
        `{"params": ["acct.s9", "${j.params.jobId}", "${share.extranonce2}", "${share.ntime}", "${share.nonce}", "${uint32ToHex(bits)}"], "id": ${id}, "method": "mining.submit"}\n`,
      );
      return m.answer(id);
    };
    assert.equal(outcome(await submit(5, job, 0x00800000)), true);
    assert.equal(h!.pools.get('a:X')!.shares.at(-1)?.versionBits, '00800000');

    const onB = await switchToB(m, 0, 4);
    assert.equal(onB.versionMask, 0x00600000, 'the miner’s mask ∩ B’s');
    assert.equal(outcome(await submit(6, onB, 0x00400000)), true);
    assert.equal(h!.pools.get('b:X')!.shares.at(-1)?.versionBits, '00400000');
  });
});
