// `smart-mining token create|list|revoke`: proxy tokens (reports only), stored as digests; a new token's
// secret is printed once.

import { createToken, type Db, listTokens, revokeToken } from '@smart-mining/db';
import { type Config, createLogger, loadConfig } from '@smart-mining/platform';
import type { Command } from 'commander';
import { openDatabase } from '../compose.ts';

type TextSink = { write(text: string): unknown };
type Runner = (action: () => Promise<number>) => () => Promise<void>;

export interface TokenDeps {
  config?: Config;
  out?: TextSink;
  err?: TextSink;
}

async function withDatabase(deps: TokenDeps, use: (db: Db) => Promise<number>): Promise<number> {
  const config = deps.config ?? loadConfig();
  const db = await openDatabase(config, createLogger('warn'));
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}

export function tokenCreate(name: string, deps: TokenDeps = {}): Promise<number> {
  const { out = process.stdout } = deps;
  return withDatabase(deps, async (db) => {
    const { token } = await createToken(db, { name });
    out.write(
      `${token}\n` +
        `proxy token "${name}" created: it is shown only this once. Give it to the proxy as SM_PROXY_TOKEN; ` +
        'it may post reports and nothing else.\n',
    );
    return 0;
  });
}

export function tokenList(deps: TokenDeps = {}): Promise<number> {
  const { out = process.stdout } = deps;
  return withDatabase(deps, async (db) => {
    const tokens = await listTokens(db);
    if (tokens.length === 0)
      out.write('no tokens; create one with: smart-mining token create --name <proxy>\n');
    for (const t of tokens) {
      const state = t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : 'active';
      out.write(`${t.name}\t${t.scope}\tcreated ${t.createdAt.toISOString()}\t${state}\n`);
    }
    return 0;
  });
}

export function tokenRevoke(name: string, deps: TokenDeps = {}): Promise<number> {
  const { out = process.stdout, err = process.stderr } = deps;
  return withDatabase(deps, async (db) => {
    if (await revokeToken(db, name)) {
      out.write(`proxy token "${name}" revoked: the API refuses it from now on\n`);
      return 0;
    }
    err.write(`smart-mining token revoke: no active token named "${name}" (see smart-mining token list)\n`);
    return 1;
  });
}

export function registerTokenCommand(program: Command, run: Runner): void {
  const token = program
    .command('token')
    .description(
      'proxy tokens: they post reports (miners, switches) and nothing else; the admin token is SM_API_TOKEN',
    );
  token
    .command('create')
    .description('create a proxy token and print it once')
    .requiredOption('--name <name>', 'who uses it, e.g. proxy-1 (unique among active tokens)')
    .action((opts: { name: string }) => run(() => tokenCreate(opts.name))());
  token
    .command('list')
    .description('list tokens (names and dates, never the secrets)')
    .action(() => run(() => tokenList())());
  token
    .command('revoke')
    .description('revoke the active token of that name')
    .argument('<name>')
    .action((name: string) => run(() => tokenRevoke(name))());
}
