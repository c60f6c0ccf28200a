// Checks a PostgreSQL URL and the first connection, and says what failed in words a user can act on
// ("cannot connect to host:port/db: … — start PostgreSQL, or …"), never showing the password.

import pg from 'pg';
import { DbError } from './errors.ts';

const FIRST_CONNECT_TIMEOUT_MS = 10_000;

/** Parses the URL and refuses other schemes (a `mysql://` URL would otherwise fail deep in the protocol). */
export function checkPostgresUrl(url: string): URL {
  const example = 'postgres://user:password@host:5432/database';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DbError('SM_DB_URL', `DATABASE_URL is not a URL; expected ${example}`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new DbError(
      'SM_DB_URL',
      `DATABASE_URL must be a PostgreSQL URL (${example}), not ${parsed.protocol}//…`,
    );
  }
  return parsed;
}

/** `host:port/database`, as the server will be asked for it (libpq defaults filled in). */
export function describeTarget(url: URL): string {
  const host = url.hostname || url.searchParams.get('host') || 'localhost';
  const database =
    decodeURIComponent(url.pathname.slice(1)) || decodeURIComponent(url.username) || 'postgres';
  return `${host}:${url.port || '5432'}/${database}`;
}

/** What to do about a failed first connection, from the error's code. */
function suggestion(code: string, target: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'nothing listens there: start PostgreSQL, or correct the host and port in DATABASE_URL';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve: correct the host in DATABASE_URL';
    case 'ETIMEDOUT':
    case 'TIMEOUT':
      return 'no answer in time: check the host, the port and any firewall between';
    case '28P01':
    case '28000':
      return 'the server refused the login: check the user and password in DATABASE_URL';
    case '3D000': {
      const [hostPort, database] = target.split('/') as [string, string];
      const [host, port] = hostPort.split(':');
      return `create it (createdb -h ${host} -p ${port} ${database}) or correct the database name in DATABASE_URL`;
    }
    case '53300':
      return 'the server has no free connection slots: close other clients or raise max_connections';
    default:
      return 'check DATABASE_URL and that the server accepts connections';
  }
}

/** Connects once (bounded by a timeout) and runs SELECT 1; throws SM_DB_CONNECT with the cause and a fix. */
export async function probeConnection(connectionString: string, url: URL): Promise<void> {
  const target = describeTarget(url);
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: FIRST_CONNECT_TIMEOUT_MS });
  // A server that drops the connection during the probe must not crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (cause) {
    const e = cause as Error & { code?: string };
    const code = e.code ?? (/timeout/i.test(e.message) ? 'TIMEOUT' : '');
    const password = decodeURIComponent(url.password);
    const reason = password ? e.message.replaceAll(password, '***') : e.message;
    throw new DbError(
      'SM_DB_CONNECT',
      `cannot connect to ${target}: ${reason}; ${suggestion(code, target)}`,
      {
        cause,
      },
    );
  } finally {
    await client.end().catch(() => {});
  }
}
