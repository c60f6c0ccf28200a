// Tests for what the proxy sends of a miner's agent (the API's text rules met, so a hostile agent costs nothing), and
// how a big miner report is split into requests the API takes.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LIMITS, minerReportSchema, minersReportBody } from '@smart-mining/api-contract';
import { agentText, reportChunks } from './report-client.ts';

describe('agent text', () => {
  it('keeps a plain agent, drops control characters, cuts at 200, and sends null for nothing', () => {
    assert.equal(agentText('cgminer/4.12.1'), 'cgminer/4.12.1');
    assert.equal(agentText('bad\u0000agent\r\n'), 'badagent');
    assert.equal(agentText('x'.repeat(500))?.length, 200);
    assert.equal(agentText('\u0001\u0002 '), null);
    assert.equal(agentText(null), null);
  });

  it('is always accepted by the contract', () => {
    for (const agent of ['\u007f'.repeat(3), `é${'\u0000'.repeat(300)}z`, 'y'.repeat(1000)]) {
      const report = {
        miner: 'a.b',
        poolKey: 'sim:LTC',
        accepted: 0,
        rejected: 0,
        stale: 0,
        agent: agentText(agent),
      };
      assert.ok(minerReportSchema.safeParse(report).success, JSON.stringify(agent));
    }
  });
});

describe('miner report requests', () => {
  const miner = (i: number, long: boolean) => ({
    // Names, profile, hardware and agent at the contract's 200 characters, two UTF-8 bytes each.
    miner: long ? `${'é'.repeat(190)}.${String(i).padStart(9, '0')}` : `acct.w${i}`,
    poolKey: 'sim:LTC',
    profile: long ? 'p'.repeat(200) : null,
    hardware: long ? 'ü'.repeat(200) : null,
    algorithm: 'scrypt',
    agent: long ? 'ñ'.repeat(200) : 'cgminer/4.12.1',
    connectedAt: '2026-12-01T00:00:00.000Z',
    accepted: 123_456,
    rejected: 12,
    stale: 3,
    hashrateHs: 1.5e12,
    usdPerDay: 12.345678,
  });

  it('keeps every body under the API limit in bytes and count, each a valid report, every miner sent once', () => {
    for (const [count, long] of [
      [20_000, true],
      [60_000, false],
      [3, true],
    ] as const) {
      const miners = Array.from({ length: count }, (_, i) => miner(i, long));
      const chunks = reportChunks(miners);
      for (const chunk of chunks) {
        const body = { proxy: 'proxy-1', miners: chunk };
        assert.ok(Buffer.byteLength(JSON.stringify(body)) <= LIMITS.maxReportBodyBytes);
        assert.ok(minersReportBody.safeParse(body).success);
      }
      assert.deepEqual(chunks.flat(), miners);
      // Long entries (~1.4 KB) are split by bytes, short ones only by the contract's count.
      if (long && count === 20_000) assert.ok(chunks.length > 1);
      if (!long) assert.equal(chunks.length, Math.ceil(count / LIMITS.maxMinersPerReport));
    }
    assert.deepEqual(reportChunks([]), []);
  });
});
