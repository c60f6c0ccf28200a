// The directory's profile and hardware checks while the API does not answer: a miner is not refused for an
// outage, and the outage is not waited out again for every login (each wait holds a miner's authorize).

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { ApiClient } from './api-client.ts';
import { ConfigDirectory } from './config-directory.ts';

describe('ConfigDirectory while the API does not answer', () => {
  it('takes names as known, and asks again only once the outage window has passed', async () => {
    let asked = 0;
    // Accepts and never answers: a host that is gone costs the whole timeout, on every URL.
    const hung = createServer(() => {
      asked++;
    }).listen(0, '127.0.0.1');
    await once(hung, 'listening');
    const url = `http://127.0.0.1:${(hung.address() as { port: number }).port}`;
    let nowMs = 1_000_000;
    const directory = new ConfigDirectory(new ApiClient({ urls: [url], timeoutMs: 200 }), {
      accounts: {},
      logger: pino({ level: 'silent' }),
      unreachableTtlMs: 30_000,
      now: () => nowMs,
    });
    try {
      assert.equal(await directory.knownProfile('p1'), true);
      assert.equal(asked, 1);
      // Other names, other kinds: the outage is known, no new wait.
      assert.equal(await directory.knownProfile('p2'), true);
      assert.equal(await directory.knownHardware('antminer-s19'), true);
      assert.equal(asked, 1);
      assert.equal(directory.cachedAnswers, 0, 'nothing cached for a name during an outage');
      nowMs += 30_000;
      assert.equal(await directory.knownProfile('p2'), true);
      assert.equal(asked, 2, 'asked again after the window');
    } finally {
      hung.closeAllConnections();
      hung.close();
    }
  });
});
