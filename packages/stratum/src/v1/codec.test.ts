import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMessage, type RpcCall } from '../json-rpc.ts';
import * as enc from './encode.ts';
import { decodeV1Call, V1_METHODS, type V1Call, type V1Sender, v1MethodRule } from './methods.ts';
import { isAccepted, parseSubscribeResult, parseVersionResult, sessionIdOf } from './results.ts';

const NOTIFY: unknown[] = [
  'bf',
  '1901125004612a1701c3a621d930d31d36b607df1fccc2160002d01c00000000',
  '01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff08',
  'ffffffff0100f2052a01000000434104',
  ['c40297f730dd7b5a99567eb8d27b78758f607507c52292d02d4031895b52f2ff'],
  '20000000',
  '1b04864c',
  '4d1b2237',
  true,
];

function decode(line: string, from: V1Sender): V1Call {
  const msg = parseMessage(line);
  assert.ok(msg.kind === 'request' || msg.kind === 'notification', line);
  return decodeV1Call(msg as RpcCall, from);
}

describe('V1 dispatch table', () => {
  it('every entry names its sender, whether it expects an answer, and a spec clause', () => {
    for (const [name, rule] of Object.entries(V1_METHODS)) {
      assert.equal(name, name.toLowerCase());
      assert.ok(rule.spec.length > 10, name);
      assert.ok(rule.from === 'miner' || rule.from === 'pool');
    }
  });

  it('matches method names case-insensitively and returns the canonical name', () => {
    const call = decode('{"id":1,"method":"Mining.Subscribe","params":["cgminer/4.12"]}', 'miner');
    assert.equal(call.method, 'mining.subscribe');
    assert.equal(v1MethodRule('MINING.SUBMIT')?.from, 'miner');
  });

  it('unknown methods, and methods from the wrong side, decode as unknown (answered 20, never forwarded)', () => {
    const unknown = decode('{"id":5,"method":"client.get_algo","params":[]}', 'pool');
    assert.deepEqual(unknown, { method: 'unknown', id: 5, name: 'client.get_algo', params: [] });
    assert.equal(decode('{"id":6,"method":"mining.notify","params":[]}', 'miner').method, 'unknown');
    assert.equal(decode('{"id":7,"method":"mining.submit","params":[]}', 'pool').method, 'unknown');
    assert.equal(
      enc.encodeUnknownMethod(5, 'client.get_algo'),
      '{"id":5,"result":null,"error":[20,"Unknown method \\"client.get_algo\\"",null]}\n',
    );
  });
});

describe('V1 miner → pool messages (stratum.md §2.1)', () => {
  it('mining.subscribe: [], [agent], [agent, session], null session', () => {
    const p = (params: unknown[]) =>
      decode(JSON.stringify({ id: 1, method: 'mining.subscribe', params }), 'miner');
    assert.deepEqual(p([]).params, { userAgent: undefined, sessionId: undefined });
    assert.deepEqual(p(['cpuminer/2.5.1']).params, { userAgent: 'cpuminer/2.5.1', sessionId: undefined });
    assert.deepEqual(p(['cpuminer/2.5.1', 'ae68']).params, {
      userAgent: 'cpuminer/2.5.1',
      sessionId: 'ae68',
    });
    assert.deepEqual(p(['bitaxe', null]).params, { userAgent: 'bitaxe', sessionId: undefined });
    // Never fails (pools subscribe whatever the params hold): what is not a string reads as absent.
    assert.deepEqual(p([42, 7]).params, { userAgent: undefined, sessionId: undefined });
    assert.deepEqual(p(['GMiner/2.09', null, 'host', '3333']).params, {
      userAgent: 'GMiner/2.09',
      sessionId: undefined,
    });
    const object = decode('{"id":1,"method":"mining.subscribe","params":{"agent":"x"}}', 'miner');
    assert.deepEqual(object.params, { userAgent: undefined, sessionId: undefined });
    assert.equal(enc.encodeSubscribe(1), '{"id":1,"method":"mining.subscribe","params":[]}\n');
    assert.equal(
      enc.encodeSubscribe(1, 'a', 's'),
      '{"id":1,"method":"mining.subscribe","params":["a","s"]}\n',
    );
  });

  it('mining.authorize: username required, password optional (a number reads as its text)', () => {
    const call = decode(
      '{"id":2,"method":"mining.authorize","params":["acct.rig1","p=max-usd-coin,d=64"]}',
      'miner',
    );
    assert.deepEqual(call.params, { username: 'acct.rig1', password: 'p=max-usd-coin,d=64' });
    assert.deepEqual(decode('{"id":2,"method":"mining.authorize","params":["w"]}', 'miner').params, {
      username: 'w',
      password: '',
    });
    assert.deepEqual(decode('{"id":2,"method":"mining.authorize","params":["w",123]}', 'miner').params, {
      username: 'w',
      password: '123',
    });
    assert.throws(() => decode('{"id":2,"method":"mining.authorize","params":[]}', 'miner'), {
      code: 'SM_STRATUM_BAD_PARAMS',
    });
    assert.throws(() => decode('{"id":2,"method":"mining.authorize","params":[""]}', 'miner'), {
      code: 'SM_STRATUM_BAD_PARAMS',
    });
  });

  it('mining.submit: 5 or 6 params, hex normalised, lengths checked; a nonce may omit its leading zeros', () => {
    const five = decode(
      '{"params": ["user", "job", "00000001", "504E86B9", "0x0c4fe5a9"], "id": 4, "method": "mining.submit"}',
      'miner',
    );
    assert.deepEqual(five.params, {
      worker: 'user',
      jobId: 'job',
      extranonce2: '00000001',
      ntime: '504e86b9',
      nonce: '0c4fe5a9',
      versionBits: undefined,
    });
    const six = decode(
      '{"id":4,"method":"mining.submit","params":["u",17,"0001","504e86b9","0c4fe5a9","1fffe000"]}',
      'miner',
    );
    assert.equal(six.method === 'mining.submit' && six.params.versionBits, '1fffe000');
    assert.equal(six.method === 'mining.submit' && six.params.jobId, '17');
    // NerdMiner writes its nonce without leading zeros (Arduino String(nonce, HEX)): read as the same uint32.
    for (const [sent, read] of [
      ['a3', '000000a3'],
      ['1a2b3c4', '01a2b3c4'],
      ['0XABC', '00000abc'],
    ] as const) {
      const short = decode(
        JSON.stringify({ id: 6, method: 'mining.submit', params: ['u', 'j', '0001', '504e86b9', sent] }),
        'miner',
      );
      assert.equal(short.method === 'mining.submit' && short.params.nonce, read);
    }
    // The worker name only labels the share: a number or null does not refuse it.
    for (const [worker, read] of [
      [42, '42'],
      [null, ''],
    ] as const) {
      const call = decode(
        JSON.stringify({
          id: 5,
          method: 'mining.submit',
          params: [worker, 'j', '0001', '504e86b9', '0c4fe5a9'],
        }),
        'miner',
      );
      assert.equal(call.method === 'mining.submit' && call.params.worker, read);
    }
    for (const bad of [
      ['u', 'j', '0001', '504e86b', '0c4fe5a9'],
      ['u', 'j', 'xyz1', '504e86b9', '0c4fe5a9'],
      ['u', 'j', '0001', '504e86b9'],
      ['u', '', '0001', '504e86b9', '0c4fe5a9'],
      ['u', 'j', '0001', '504e86b9', '0c4fe5a9', '1fff'],
      ['u', 'j', '0001', '504e86b9', '10c4fe5a9'],
      ['u', 'j', '0001', '504e86b9', ''],
    ]) {
      assert.throws(
        () => decode(JSON.stringify({ id: 1, method: 'mining.submit', params: bad }), 'miner'),
        /mining.submit/,
      );
    }
    const line = enc.encodeSubmit(4, {
      worker: 'u',
      jobId: 'j',
      extranonce2: '01',
      ntime: '504e86b9',
      nonce: '0c4fe5a9',
    });
    assert.equal(line, '{"id":4,"method":"mining.submit","params":["u","j","01","504e86b9","0c4fe5a9"]}\n');
  });

  it('mining.suggest_difficulty: string (cpuminer-opt) or number (Bitaxe); never fails', () => {
    const s = (params: unknown) =>
      decode(JSON.stringify({ id: 3, method: 'mining.suggest_difficulty', params }), 'miner');
    assert.deepEqual(s(['1000.000000']).params, { difficulty: 1000 });
    assert.deepEqual(s([1000]).params, { difficulty: 1000 });
    assert.deepEqual(s(['lots']).params, { difficulty: undefined });
    assert.deepEqual(s({}).params, { difficulty: undefined });
    assert.equal(
      enc.encodeSuggestDifficulty(1, 1000, 'string'),
      '{"id":1,"method":"mining.suggest_difficulty","params":["1000.000000"]}\n',
    );
  });

  it('mining.suggest_target: a hex target up to 256 bits (0x optional); anything else is no target, never a failure', () => {
    const t = (params: unknown) =>
      decode(JSON.stringify({ id: 3, method: 'mining.suggest_target', params }), 'miner').params;
    const diff1 = `00000000ffff${'0'.repeat(52)}`;
    assert.deepEqual(t([diff1]), { target: 0xffffn << 208n });
    assert.deepEqual(t(['0xff']), { target: 255n });
    assert.deepEqual(t([`1${diff1}`]), { target: undefined }, 'over 64 digits');
    assert.deepEqual(t(['00']), { target: undefined }, 'zero');
    assert.deepEqual(t(['xyz']), { target: undefined });
    assert.deepEqual(t([42]), { target: undefined });
    assert.deepEqual(t({}), { target: undefined });
  });

  it('mining.extranonce.subscribe and keepalived carry nothing; answers true or Not supported', () => {
    assert.deepEqual(
      decode('{"id":3,"method":"mining.extranonce.subscribe","params":[]}', 'miner').params,
      {},
    );
    assert.equal(decode('{"id":9,"method":"keepalived","params":{"id":"x"}}', 'miner').method, 'keepalived');
    assert.equal(enc.encodeAccepted(3), '{"id":3,"result":true,"error":null}\n');
    assert.equal(
      enc.encodeExtranonceNotSupported(3),
      '{"id":3,"result":false,"error":[20,"Not supported.",null]}\n',
    );
  });
});

describe('V1 pool → miner messages (stratum.md §2.1)', () => {
  it('mining.notify: 9 params checked as cpuminer does; encode → decode round-trips', () => {
    const call = decode(JSON.stringify({ id: null, method: 'mining.notify', params: NOTIFY }), 'pool');
    assert.equal(call.method, 'mining.notify');
    if (call.method !== 'mining.notify') return;
    assert.equal(call.params.cleanJobs, true);
    assert.deepEqual(decode(enc.encodeNotify(call.params).trimEnd(), 'pool'), call);
    const broken = (i: number, v: unknown) => {
      const params = [...NOTIFY];
      params[i] = v;
      return () => decode(JSON.stringify({ id: null, method: 'mining.notify', params }), 'pool');
    };
    assert.throws(broken(1, 'abcd'), { code: 'SM_STRATUM_BAD_PARAMS' });
    assert.throws(broken(5, '2000000'), { code: 'SM_STRATUM_BAD_PARAMS' });
    assert.throws(broken(6, 42), { code: 'SM_STRATUM_BAD_PARAMS' });
    assert.throws(broken(4, 'nope'), { code: 'SM_STRATUM_BAD_PARAMS' });
    assert.throws(broken(4, ['00']), { code: 'SM_STRATUM_BAD_PARAMS' });
    assert.throws(() => decode('{"id":null,"method":"mining.notify","params":[1,2]}', 'pool'), {
      code: 'SM_STRATUM_BAD_PARAMS',
    });
    const notClean = decode(
      JSON.stringify({ id: null, method: 'mining.notify', params: [...NOTIFY.slice(0, 8), 1] }),
      'pool',
    );
    assert.equal(notClean.method === 'mining.notify' && notClean.params.cleanJobs, false);
  });

  it('mining.set_difficulty: positive finite number, fractional allowed', () => {
    for (const [line, d] of [
      [enc.encodeSetDifficulty(1024), 1024],
      [enc.encodeSetDifficulty(0.001), 0.001],
    ] as const) {
      assert.deepEqual(decode(line.trimEnd(), 'pool').params, { difficulty: d });
    }
    assert.throws(() => decode('{"id":null,"method":"mining.set_difficulty","params":[0]}', 'pool'), {
      code: 'SM_STRATUM_BAD_PARAMS',
    });
  });

  it('mining.set_extranonce, mining.set_version_mask, client.reconnect, client.show_message round-trip', () => {
    assert.deepEqual(decode(enc.encodeSetExtranonce('08000002', 4).trimEnd(), 'pool').params, {
      extranonce1: '08000002',
      extranonce2Size: 4,
    });
    assert.deepEqual(
      decode('{"id":null,"method":"mining.set_extranonce","params":["af4c"]}', 'pool').params,
      {
        extranonce1: 'af4c',
        extranonce2Size: undefined,
      },
    );
    assert.deepEqual(decode(enc.encodeSetVersionMask(0x3000).trimEnd(), 'pool').params, { mask: 0x3000 });
    assert.equal(
      enc.encodeReconnect('127.0.0.1', 3333),
      '{"id":null,"method":"client.reconnect","params":["127.0.0.1",3333,0]}\n',
    );
    assert.deepEqual(decode(enc.encodeReconnect('h', 3333, 10).trimEnd(), 'pool').params, {
      host: 'h',
      port: 3333,
      waitS: 10,
    });
    assert.deepEqual(
      decode('{"id":null,"method":"client.reconnect","params":[null,"3334"]}', 'pool').params,
      {
        host: undefined,
        port: 3334,
        waitS: 0,
      },
    );
    assert.throws(() => decode('{"id":null,"method":"client.reconnect","params":["h",70000]}', 'pool'), {
      code: 'SM_STRATUM_BAD_PARAMS',
    });
    assert.deepEqual(decode(enc.encodeShowMessage('hi').trimEnd(), 'pool').params, { text: 'hi' });
  });

  it('client.get_version and mining.ping are requests the miner answers', () => {
    assert.equal(decode(enc.encodeGetVersion(8).trimEnd(), 'pool').id, 8);
    assert.equal(
      enc.encodeVersionResult(8, 'cpuminer/2.5.1'),
      '{"id":8,"result":"cpuminer/2.5.1","error":null}\n',
    );
    assert.equal(decode(enc.encodePing(9).trimEnd(), 'pool').method, 'mining.ping');
    assert.equal(enc.encodePong(9), '{"id":9,"result":"pong","error":null}\n');
    assert.equal(parseVersionResult('cgminer/4.12'), 'cgminer/4.12');
  });
});

describe('V1 results', () => {
  it('subscribe result: list of pairs or a flat pair; session id from mining.notify', () => {
    const line = enc.encodeSubscribeResult(1, 'ae6812eb', '08000002', 4);
    const msg = parseMessage(line.trimEnd());
    assert.equal(msg.kind, 'response');
    const r = parseSubscribeResult(msg.kind === 'response' ? msg.result : null);
    assert.deepEqual(r, {
      subscriptions: [
        ['mining.set_difficulty', 'ae6812eb'],
        ['mining.notify', 'ae6812eb'],
      ],
      extranonce1: '08000002',
      extranonce2Size: 4,
    });
    assert.equal(sessionIdOf(r), 'ae6812eb');
    const flat = parseSubscribeResult([['mining.notify', 'abc'], 'F0', 8]);
    assert.equal(sessionIdOf(flat), 'abc');
    assert.equal(flat.extranonce1, 'f0');
  });

  it('subscribe result: refuses sizes 0 and over 100, and non-hex extranonce1', () => {
    for (const bad of [[[], '08000002', 0], [[], '08000002', 101], [[], 'zz', 4], [[], '08000002'], 'nope']) {
      assert.throws(() => parseSubscribeResult(bad), { code: 'SM_STRATUM_BAD_RESULT' });
    }
  });

  it('only a JSON true is an acceptance', () => {
    assert.equal(isAccepted(true), true);
    for (const v of [false, null, 'true', 1]) assert.equal(isAccepted(v), false);
  });
});
