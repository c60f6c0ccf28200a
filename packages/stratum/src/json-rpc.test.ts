import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { wireError } from './errors.ts';
import { encodeError, encodeNotification, encodeRequest, encodeResult, parseMessage } from './json-rpc.ts';

describe('JSON-RPC messages (stratum.md §1)', () => {
  it('reads requests, notifications and responses', () => {
    assert.deepEqual(parseMessage('{"id": 1, "method": "mining.subscribe", "params": ["cpuminer/2.5.1"]}'), {
      kind: 'request',
      id: 1,
      method: 'mining.subscribe',
      params: ['cpuminer/2.5.1'],
    });
    assert.deepEqual(parseMessage('{"id": null, "method": "mining.set_difficulty", "params": [1024]}'), {
      kind: 'notification',
      id: null,
      method: 'mining.set_difficulty',
      params: [1024],
    });
    assert.deepEqual(parseMessage('{"method":"mining.notify","params":[]}').kind, 'notification');
    assert.deepEqual(parseMessage('{"id": 2, "result": true, "error": null}'), {
      kind: 'response',
      id: 2,
      result: true,
    });
    assert.deepEqual(parseMessage('{"id":"a","jsonrpc":"2.0","result":false}'), {
      kind: 'response',
      id: 'a',
      result: false,
    });
  });

  it('keeps ids exactly: number, string, null, zero', () => {
    for (const id of [0, 7, 'abc', '1', null]) {
      const msg = parseMessage(JSON.stringify({ id, result: true, error: null }));
      assert.equal(msg.id, id);
      assert.equal(encodeResult(msg.id, true), `{"id":${JSON.stringify(id)},"result":true,"error":null}\n`);
    }
  });

  it('a request with params absent reads as []', () => {
    const msg = parseMessage('{"id":5,"method":"mining.extranonce.subscribe"}');
    assert.equal(msg.kind, 'request');
    assert.deepEqual(msg.kind === 'request' && msg.params, []);
  });

  it('reads both error styles and a bare message', () => {
    const slush = parseMessage('{"id": 10, "result": null, "error": [21, "Job not found", null]}');
    assert.deepEqual(slush, {
      kind: 'error',
      id: 10,
      result: null,
      error: { code: 21, message: 'Job not found', data: null },
    });
    const object = parseMessage(
      '{"id":1,"jsonrpc":"2.0","result":null,"error":{"code":23,"message":"Invalid share"}}',
    );
    assert.deepEqual(object.kind === 'error' && object.error, {
      code: 23,
      message: 'Invalid share',
      data: null,
    });
    const bare = parseMessage('{"id":3,"result":null,"error":"Stale"}');
    assert.deepEqual(bare.kind === 'error' && bare.error, { code: 20, message: 'Stale', data: null });
  });

  it('an oddly shaped error is still an error answer: a code given as a string, or none, and "no error" spelled false', () => {
    const cases: [string, unknown][] = [
      ['{"id":1,"result":false,"error":["21","Stale",null]}', { code: 21, message: 'Stale', data: null }],
      ['{"id":1,"result":null,"error":["x","y"]}', { code: 20, message: 'y', data: null }],
      ['{"id":1,"result":null,"error":{"message":"no code"}}', { code: 20, message: 'no code', data: null }],
      [
        '{"id":1,"result":null,"error":{"code":"-1","message":"bad"}}',
        { code: -1, message: 'bad', data: null },
      ],
      ['{"id":1,"result":null,"error":42}', { code: 20, message: '42', data: null }],
    ];
    for (const [line, error] of cases) {
      const msg = parseMessage(line);
      assert.equal(msg.kind, 'error', line);
      assert.deepEqual(msg.kind === 'error' && msg.error, error, line);
    }
    for (const line of [
      '{"id":2,"result":true,"error":false}',
      '{"id":2,"result":true,"error":""}',
      '{"id":2,"result":true,"error":[]}',
      '{"id":2,"result":true,"error":{}}',
      '{"id":2,"result":true,"error":{"code":0,"message":""}}',
    ]) {
      assert.deepEqual(parseMessage(line), { kind: 'response', id: 2, result: true }, line);
    }
  });

  it('ckpool’s refusal (result false, error null, "reject-reason") is an error with that reason and its code', () => {
    const cases: [string, number][] = [
      ['Stale', 21],
      ['Invalid JobID', 21],
      ['Duplicate', 22],
      ['Above target', 23],
      ['Invalid ntime', 20],
    ];
    for (const [reason, code] of cases) {
      const msg = parseMessage(
        JSON.stringify({ id: 7, result: false, error: null, 'reject-reason': reason }),
      );
      assert.deepEqual(msg, {
        kind: 'error',
        id: 7,
        result: false,
        error: { code, message: reason, data: null },
      });
    }
    assert.deepEqual(parseMessage('{"id":7,"result":true,"error":null,"reject-reason":"Stale"}'), {
      kind: 'response',
      id: 7,
      result: true,
    });
  });

  it('reads NiceHash’s literal NULL, without touching strings that contain it', () => {
    const msg = parseMessage('{"id":244,"result":false,"error":[-1,"Job not found NULL",NULL]}');
    assert.deepEqual(msg, {
      kind: 'error',
      id: 244,
      result: false,
      error: { code: -1, message: 'Job not found NULL', data: null },
    });
  });

  it('malformed JSON and wrong shapes are typed errors', () => {
    for (const line of ['{"id":1,', 'garbage', '{"id":1,"method":"x" NULL}']) {
      assert.throws(() => parseMessage(line), { code: 'SM_STRATUM_BAD_JSON' }, line);
    }
    for (const line of [
      '[1,2,3]',
      '42',
      'null',
      '{"id":{},"method":"x"}',
      '{"id":1,"method":3}',
      '{"id":1,"method":""}',
      '{"id":1}',
    ]) {
      assert.throws(() => parseMessage(line), { code: 'SM_STRATUM_BAD_MESSAGE' }, line);
    }
  });

  it('writes one line each, with "error": null in every success', () => {
    assert.equal(encodeResult(1, [1, 'a']), '{"id":1,"result":[1,"a"],"error":null}\n');
    assert.equal(encodeResult(2, undefined), '{"id":2,"result":null,"error":null}\n');
    assert.equal(
      encodeError('x', wireError('duplicateShare')),
      '{"id":"x","result":null,"error":[22,"Duplicate share",null]}\n',
    );
    assert.equal(
      encodeError(4, wireError('other', 'Not supported.'), false),
      '{"id":4,"result":false,"error":[20,"Not supported.",null]}\n',
    );
    assert.equal(
      encodeRequest(3, 'mining.authorize', ['w', 'x']),
      '{"id":3,"method":"mining.authorize","params":["w","x"]}\n',
    );
    assert.equal(
      encodeNotification('mining.set_difficulty', [2]),
      '{"id":null,"method":"mining.set_difficulty","params":[2]}\n',
    );
  });

  it('what it writes it reads back', () => {
    const line = encodeError(9, wireError('lowDifficulty'));
    assert.deepEqual(parseMessage(line.trimEnd()), {
      kind: 'error',
      id: 9,
      result: null,
      error: { code: 23, message: 'Low difficulty share', data: null },
    });
  });
});
