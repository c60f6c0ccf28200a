// A port on 127.0.0.1 where nothing listens: for tests of "connection refused".

import { once } from 'node:events';
import { createServer } from 'node:net';

/** Binds an ephemeral port and releases it: nothing listens there afterwards. */
export async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}
