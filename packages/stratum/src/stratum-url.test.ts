import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatStratumUrl, parseStratumUrl } from './stratum-url.ts';

describe('stratum URLs', () => {
  it('reads tcp, ssl and tls schemes, names and IPv6 hosts', () => {
    assert.deepEqual(parseStratumUrl('stratum+tcp://ltc.viabtc.io:3333'), {
      host: 'ltc.viabtc.io',
      port: 3333,
      tls: false,
    });
    assert.deepEqual(parseStratumUrl('stratum+ssl://btc.example.com:443'), {
      host: 'btc.example.com',
      port: 443,
      tls: true,
    });
    assert.deepEqual(parseStratumUrl('STRATUM+TLS://127.0.0.1:25015'), {
      host: '127.0.0.1',
      port: 25015,
      tls: true,
    });
    assert.deepEqual(parseStratumUrl('stratum+tcp://[::1]:3333'), { host: '::1', port: 3333, tls: false });
  });

  it('refuses other schemes, a missing port, paths and credentials', () => {
    for (const url of [
      'http://h:3333',
      'stratum1+tcp://h:3333',
      'stratum+tcp://h',
      'stratum+tcp://h:3333/path',
      'stratum+tcp://u:p@h:3333',
      'not a url',
    ]) {
      assert.throws(() => parseStratumUrl(url), { code: 'SM_STRATUM_BAD_URL' }, url);
    }
  });

  it('formats back what it reads', () => {
    for (const url of ['stratum+tcp://h.example:3333', 'stratum+ssl://[::1]:443']) {
      assert.equal(formatStratumUrl(parseStratumUrl(url)), url);
    }
  });
});
