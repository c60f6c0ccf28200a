// Script entry for the server test: a proxy in 2 worker processes (node:cluster) sharing one Stratum port,
// mining on the simulated pool at --pool-port. Workers print {"event":"listening","worker","port"}.

import { parseArgs } from 'node:util';
import { createProxy } from '../src/proxy.ts';
import { listen, runWorkers } from '../src/server.ts';
import {
  localTarget,
  MemoryDecisionSource,
  MemoryDirectory,
  MemoryReportSink,
  testAccount,
} from './memory-ports.ts';

const { values } = parseArgs({
  options: { 'pool-port': { type: 'string' }, port: { type: 'string', default: '0' } },
});
const target = localTarget('a:BTC', Number(values['pool-port']));

await runWorkers({
  workers: 2,
  restart: false,
  async start(worker) {
    const proxy = createProxy({
      proxyId: `test/worker-${worker}`,
      listeners: [{ algorithm: 'sha256d', port: Number(values.port), host: '127.0.0.1' }],
      decisions: new MemoryDecisionSource([target]),
      directory: new MemoryDirectory([testAccount('acct', ['BTC'])], [target]),
      reports: new MemoryReportSink(),
    });
    const server = await listen(proxy);
    process.stdout.write(
      `${JSON.stringify({ event: 'listening', worker, port: server.addresses[0]!.port })}\n`,
    );
  },
});
