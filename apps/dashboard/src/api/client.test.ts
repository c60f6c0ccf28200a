// Tests for the API client: each parameter sent under the name the server reads, and errors read into fields.

import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ApiRequestError, api } from './client.ts';
import { serverNow } from './server-clock.ts';

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

/** Answers every call with `body` and `status`, and keeps the URLs asked for. */
function answer(status: number, body: unknown): string[] {
  const urls: string[] = [];
  globalThis.fetch = (async (input: string | URL | Request) => {
    urls.push(String(input));
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return urls;
}

describe('API client', () => {
  it('sends the hashrate under the name the server reads today, with its siblings', async () => {
    const urls = answer(200, { at: '2024-02-16T16:40:00.000Z', ranking: [] });
    await api.ranking({ algorithms: ['kawpow', 'etchash'], hashrateHs: 1e8 }, 0.1);
    const query = new URL(urls[0]!, 'http://x').searchParams;
    assert.equal(query.get('hashrateHs'), '100000000');
    assert.equal(query.get('algorithms'), 'kawpow,etchash');
    assert.equal(query.get('electricityUsdPerKwh'), '0.1');
  });

  it('sends time ranges as ISO dates with the bucket, and reads the server clock from `at`', async () => {
    const urls = answer(200, { at: '2024-02-16T16:40:00.000Z', points: [] });
    const range = { from: new Date('2024-02-16T15:00:00Z'), to: new Date('2024-02-16T17:00:00Z') };
    await api.coinHistory('ETC', range, 300);
    assert.equal(
      urls[0],
      '/v1/coins/ETC/history?from=2024-02-16T15%3A00%3A00.000Z&to=2024-02-16T17%3A00%3A00.000Z&bucketS=300',
    );
    assert.ok(Math.abs(serverNow().getTime() - Date.parse('2024-02-16T16:40:00Z')) < 5_000);
  });

  it('turns an error body into code, field and problem', async () => {
    answer(400, {
      error: {
        code: 'SM_API_BAD_PARAMETER',
        message: 'body/definition/switching/thresholdFraction is invalid: too big',
      },
    });
    const error = await api.createProfile('t', 'p', {}).catch((e: unknown) => e);
    assert.ok(error instanceof ApiRequestError);
    assert.equal(error.status, 400);
    assert.equal(error.code, 'SM_API_BAD_PARAMETER');
    assert.equal(error.field, 'body/definition/switching/thresholdFraction');
    assert.equal(error.problem, 'is invalid: too big');
  });

  it('keeps a message that names no field whole', () => {
    const error = new ApiRequestError(401, 'SM_API_UNAUTHORIZED', 'missing or wrong bearer token');
    assert.equal(error.field, null);
    assert.equal(error.problem, 'missing or wrong bearer token');
  });
});
