// Checks that the API's address can be listened on before anything else is opened (database, migrations), and
// says which setting to change when it cannot.

import { once } from 'node:events';
import { createServer } from 'node:net';
import { CliError } from './errors.ts';

function advice(code: string | undefined, host: string, port: number): string {
  switch (code) {
    case 'EADDRINUSE':
      return `port ${port} is in use by another program (EADDRINUSE): stop it, or choose another port with SM_API_PORT`;
    case 'EACCES':
      return `no permission to listen on port ${port} (EACCES): choose a port above 1023 with SM_API_PORT`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine (EADDRNOTAVAIL): set SM_API_HOST to one (127.0.0.1, 0.0.0.0)`;
    default:
      return `${code ?? 'error'}: check SM_API_HOST and SM_API_PORT`;
  }
}

/** Resolves when `host:port` can be listened on (it is released again at once); port 0 always can. */
export async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const server = createServer();
  server.listen({ host, port, exclusive: true });
  try {
    await once(server, 'listening');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      'SM_CLI_PORT_UNAVAILABLE',
      `cannot listen on ${host}:${port}: ${advice(code, host, port)}`,
      {
        cause: error,
      },
    );
  }
  server.close();
  await once(server, 'close');
}
