// Tests for what a failed fetch says: the host and the cause, never a long percent-encoded URL or a key.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closedPort, startReplayServer } from '@smart-mining/testkit';
import { SourceError } from './errors.ts';
import { HttpClient } from './http-client.ts';

const fast = { attempts: 1, timeoutMs: 2000 };

async function failureOf(client: HttpClient, url: string): Promise<SourceError> {
  try {
    await client.getJson(url);
  } catch (error) {
    assert.ok(error instanceof SourceError, String(error));
    return error;
  }
  assert.fail('expected the fetch to fail');
}

describe('HttpClient failure messages', () => {
  it('an unknown host (offline): the host and "host not found", without the query', async () => {
    const offline = (async () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' }),
      });
    }) as typeof fetch;
    const error = await failureOf(
      new HttpClient({ ...fast, fetch: offline }),
      'https://api.binance.com/api/v3/ticker/24hr?symbols=%5B%22BTCUSDT%22%2C%22LTCUSDT%22%5D',
    );
    assert.equal(error.code, 'SM_SOURCE_NETWORK');
    assert.equal(error.message, 'cannot reach api.binance.com: host not found (ENOTFOUND)');
  });

  it('a closed port: connection refused', async () => {
    const port = await closedPort();
    const error = await failureOf(new HttpClient(fast), `http://127.0.0.1:${port}/coins?key=secret`);
    assert.equal(error.message, `cannot reach 127.0.0.1:${port}: connection refused (ECONNREFUSED)`);
  });

  it('an HTTP error names the host and path, not the query with its key', async () => {
    const replay = await startReplayServer();
    try {
      const url = `${replay.origin}/2miners/kas/api/stats?apiKey=secret`;
      const error = await failureOf(new HttpClient(fast), url);
      assert.match(
        error.message,
        new RegExp(`^GET ${new URL(replay.origin).host}/2miners/kas/api/stats: HTTP 404`),
      );
      assert.doesNotMatch(error.message, /secret/);
    } finally {
      await replay.close();
    }
  });
});
