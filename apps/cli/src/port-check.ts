// Checks that the API's address can be listened on before anything else is opened (database, migrations), and
// says which setting to change when it cannot.

import { once } from 'node:events';
import { createServer } from 'node:net';
import { CliError } from './errors.ts';

/** The environment variables that set the address being checked, named in the advice. */
export interface AddressSettings {
  host: string;
  port: string;
}

const API_ADDRESS: AddressSettings = { host: 'SM_API_HOST', port: 'SM_API_PORT' };

function advice(code: string | undefined, host: string, port: number, vars: AddressSettings): string {
  switch (code) {
    case 'EADDRINUSE':
      return `port ${port} is in use by another program (EADDRINUSE): stop it, or choose another port with ${vars.port}`;
    case 'EACCES':
      return `no permission to listen on port ${port} (EACCES): choose a port above 1023 with ${vars.port}`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine (EADDRNOTAVAIL): set ${vars.host} to one (127.0.0.1, 0.0.0.0)`;
    default:
      return `${code ?? 'error'}: check ${vars.host} and ${vars.port}`;
  }
}

/** Resolves when `host:port` can be listened on (it is released again at once); port 0 always can. */
export async function assertPortFree(
  host: string,
  port: number,
  vars: AddressSettings = API_ADDRESS,
): Promise<void> {
  if (port === 0) return;
  const server = createServer();
  server.listen({ host, port, exclusive: true });
  try {
    await once(server, 'listening');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      'SM_CLI_PORT_UNAVAILABLE',
      `cannot listen on ${host}:${port}: ${advice(code, host, port, vars)}`,
      {
        cause: error,
      },
    );
  }
  server.close();
  await once(server, 'close');
}
