import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { waitFor } from '@smart-mining/testkit';
import { type MemoryProxy, memoryProxy } from '../../test/memory-proxy.ts';

let m: MemoryProxy | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

/**
 * pooler cpuminer obeys client.reconnect by building `stratum+tcp://HOST:PORT` from the params and dialling that
 * URL from then on (it replaces its own): the host must make a URL that names the address the miner used.
 */
const cpuminerUrl = (host: string, port: number) => new URL(`stratum+tcp://${host}:${port}`);

describe('client.reconnect to the address the miner used', () => {
  // A listener on `::` (both stacks) sees an IPv4 miner's local address as ::ffff:a.b.c.d.
  for (const [local, dialled] of [
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8::5', '[2001:db8::5]'],
    ['192.0.2.7', '192.0.2.7'],
  ] as const) {
    it(`local address ${local}: the miner is sent ${dialled}, a host it can dial`, async () => {
      m = await memoryProxy({
        pools: [
          { poolKey: 'roomy:BTC', options: { extranonce2Size: 8 } },
          { poolKey: 'tight:BTC', options: { extranonce2Size: 3 } },
        ],
      });
      const client = m.connect({ localAddress: local, localPort: 3333 });
      await client.request('mining.subscribe', ['cpuminer/2.5.1']);
      await client.request('mining.authorize', ['acct.cpu', 'x']);
      await waitFor(() => client.calls('mining.notify').length > 0, { what: 'first job' });
      // n2′ = 3 does not fit the tight pool and this miner takes no set_extranonce: it is told to reconnect.
      m.decisions.rank([m.targets.get('tight:BTC')!, m.targets.get('roomy:BTC')!]);
      const reconnect = await waitFor(() => client.calls('client.reconnect')[0], {
        what: 'client.reconnect',
      });
      const [host, port] = reconnect.params as [string, number, number];
      assert.equal(host, dialled);
      assert.equal(port, 3333);
      assert.equal(cpuminerUrl(host, port).hostname, dialled);
    });
  }
});
