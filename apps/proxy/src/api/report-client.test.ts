// Tests for what the proxy sends of a miner's agent: the API's text rules met, so a hostile agent costs nothing.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minerReportSchema } from '@smart-mining/api-contract';
import { agentText } from './report-client.ts';

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
