// Two processes on one PGlite data directory: the second refuses to start, names the first and exits non-zero, and
// every source run the first logged is on disk after it stops.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDb } from '@smart-mining/db';
import { type ReplayServer, replayEnvironment, startReplayServer, waitFor } from '@smart-mining/testkit';

const MAIN = new URL('../../apps/cli/src/main.ts', import.meta.url).pathname;
const SOURCES = ['binance', 'coingecko', 'hashrateno', 'minerstat', 'whattomine', 'nanopool', 'twominers'];

interface Cli {
  child: ChildProcess;
  stdout: string;
  stderr: string;
}

async function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const [code] = await once(child, 'exit');
  return code;
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Cli {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const cli: Cli = { child, stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk) => (cli.stdout += chunk));
  child.stderr!.on('data', (chunk) => (cli.stderr += chunk));
  return cli;
}

/** The complete JSON log lines printed so far (the last chunk may end mid-line). */
const logLines = (text: string) =>
  text
    .split('\n')
    .slice(0, -1)
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg: string; source?: string });
const sourceRunsLogged = (cli: Cli) =>
  logLines(cli.stdout).filter((l) => l.msg === 'source ok' || l.msg === 'source failed').length;

describe('two processes on one PGlite data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sm-two-'));
  const dataDir = join(dir, 'pglite');
  let server: ReplayServer;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    server = await startReplayServer();
    // No request spacing and one attempt: the replay server is local.
    const config = {
      aggregator: { sources: Object.fromEntries(SOURCES.map((s) => [s, { minIntervalMs: 0 }])) },
    };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    env = {
      ...replayEnvironment(server.baseUrls),
      SM_CONFIG: join(dir, 'config.json'),
      SM_DATA_DIR: dataDir,
      SM_API_PORT: '0',
      SM_STRATUM_PORT: '0',
      SM_PROXY_STATUS_PORT: '0',
      SM_LOG_LEVEL: 'info',
      DATABASE_URL: '',
    };
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the second exits non-zero naming the first; nothing the first wrote is lost', async () => {
    const first = runCli(['start'], env);
    try {
      await waitFor(
        () => sourceRunsLogged(first) >= SOURCES.length,
        `the first runs of start:\n${first.stderr}`,
        // A cold start compiles the whole command first; generous on a loaded machine.
        90_000,
      );
      const second = runCli(['aggregate', '--once'], env);
      assert.equal(await exitCode(second.child), 1);
      assert.match(second.stderr, /^smart-mining: SM_DB_LOCKED: the embedded database in .* is locked/);
      assert.match(
        second.stderr,
        new RegExp(`in use by process ${first.child.pid} \\(main\\.ts start, since `),
      );
      assert.match(second.stderr, /set DATABASE_URL to a PostgreSQL server/);
      assert.equal(second.stdout, '');
    } finally {
      first.child.kill('SIGTERM');
    }
    assert.equal(await exitCode(first.child), 0, first.stderr);
    const db = await createDb({ dataDir });
    try {
      const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM source_runs');
      assert.equal(row!.n, sourceRunsLogged(first));
    } finally {
      await db.close();
    }
  });
});
