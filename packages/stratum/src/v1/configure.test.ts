import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMessage, type RpcCall } from '../json-rpc.ts';
import { answerConfigure, parseConfigureResult } from './configure.ts';
import * as enc from './encode.ts';
import { decodeV1Call } from './methods.ts';

const request = (line: string) => {
  const call = decodeV1Call(parseMessage(line) as RpcCall, 'miner');
  if (call.method !== 'mining.configure') throw new Error(`not a configure: ${call.method}`);
  return call.params;
};

describe('BIP 310 mining.configure', () => {
  it('reads the BIP example: version-rolling mask and min-bit-count, minimum-difficulty', () => {
    const r = request(
      '{"method":"mining.configure","id":1,"params":[["minimum-difficulty","version-rolling"],{"minimum-difficulty.value":2048,"version-rolling.mask":"1fffe000","version-rolling.min-bit-count":2}]}',
    );
    assert.deepEqual(r.versionRolling, { mask: 0x1fffe000, minBitCount: 2 });
    assert.equal(r.minimumDifficulty, 2048);
    assert.equal(r.subscribeExtranonce, false);
  });

  it('answers mask = server ∩ miner; Bitaxe’s ffffffff gets the server mask', () => {
    const bitaxe = request(
      '{"id": 2, "method": "mining.configure", "params": [["version-rolling"], {"version-rolling.mask": "ffffffff"}]}',
    );
    assert.deepEqual(answerConfigure(bitaxe, { versionMask: 0x1fffe000 }), {
      'version-rolling': true,
      'version-rolling.mask': '1fffe000',
    });
    const bip = request(
      '{"id":1,"method":"mining.configure","params":[["version-rolling"],{"version-rolling.mask":"1fffe000"}]}',
    );
    assert.deepEqual(answerConfigure(bip, { versionMask: 0x18000000 })['version-rolling.mask'], '18000000');
  });

  it('answers false for unsupported or unknown extensions, and for an empty intersection', () => {
    const r = request(
      '{"id":1,"method":"mining.configure","params":[["version-rolling","info","x-unknown"],{"info.sw-version":"1.0"}]}',
    );
    assert.deepEqual(r.info, { 'sw-version': '1.0' });
    assert.deepEqual(answerConfigure(r, {}), { 'version-rolling': false, info: true, 'x-unknown': false });
    const narrow = request(
      '{"id":1,"method":"mining.configure","params":[["version-rolling"],{"version-rolling.mask":"00000001"}]}',
    );
    assert.deepEqual(answerConfigure(narrow, { versionMask: 0x1fffe000 }), { 'version-rolling': false });
  });

  it('subscribe-extranonce and minimum-difficulty are granted when the server has them', () => {
    const r = request(
      '{"id":1,"method":"mining.configure","params":[["subscribe-extranonce","minimum-difficulty"],{"minimum-difficulty.value":0}]}',
    );
    assert.deepEqual(answerConfigure(r, { subscribeExtranonce: true, minimumDifficulty: true }), {
      'subscribe-extranonce': true,
      'minimum-difficulty': true,
    });
  });

  it('reads configure results and refuses a malformed mask; requests encode the BIP shape', () => {
    assert.equal(
      parseConfigureResult({ 'version-rolling': true, 'version-rolling.mask': '18000000' }).versionMask,
      0x18000000,
    );
    assert.equal(parseConfigureResult({ 'version-rolling': false }).versionMask, undefined);
    assert.throws(() => parseConfigureResult({ 'version-rolling': true, 'version-rolling.mask': 'zz' }), {
      code: 'SM_STRATUM_BAD_RESULT',
    });
    assert.throws(() => parseConfigureResult([]), { code: 'SM_STRATUM_BAD_RESULT' });
    assert.equal(
      enc.encodeConfigure(2, { versionRolling: { mask: 0xffffffff } }),
      '{"id":2,"method":"mining.configure","params":[["version-rolling"],{"version-rolling.mask":"ffffffff"}]}\n',
    );
    assert.throws(() => request('{"id":1,"method":"mining.configure","params":["version-rolling"]}'), {
      code: 'SM_STRATUM_BAD_PARAMS',
    });
  });
});
