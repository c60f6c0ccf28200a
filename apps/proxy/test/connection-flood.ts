// Script entry for the hostile-input suite: opens many connections from one address to a proxy (its own process,
// so the flood's file descriptors are not the test's), sends a subscribe on each, and reports what happened.
//
//   node --import tsx apps/proxy/test/connection-flood.ts --port N --connections 10000 [--wait-ms 3000]
//
// Prints one JSON line: {opened, failed, refusedWithError, closed, open} then closes everything and exits.

import { connect, type Socket } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    connections: { type: 'string', default: '10000' },
    'wait-ms': { type: 'string', default: '3000' },
    batch: { type: 'string', default: '500' },
  },
});

const total = Number(values.connections);
const batch = Number(values.batch);
const sockets: Socket[] = [];
let opened = 0;
let failed = 0;
let refusedWithError = 0;
let closed = 0;

function open(): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: Number(values.port) });
    sockets.push(socket);
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('Too many connections')) refusedWithError++;
    });
    socket.on('connect', () => {
      opened++;
      socket.write('{"id":1,"method":"mining.subscribe","params":["flood/1"]}\n');
      resolve();
    });
    socket.on('error', () => {
      failed++;
      resolve();
    });
    socket.on('close', () => {
      closed++;
    });
  });
}

for (let from = 0; from < total; from += batch) {
  await Promise.all(Array.from({ length: Math.min(batch, total - from) }, open));
}
await new Promise((resolve) => setTimeout(resolve, Number(values['wait-ms'])));
const open_ = sockets.filter((s) => !s.destroyed && s.readyState === 'open').length;
process.stdout.write(`${JSON.stringify({ opened, failed, refusedWithError, closed, open: open_ })}\n`);
for (const s of sockets) s.destroy();
process.exit(0);
