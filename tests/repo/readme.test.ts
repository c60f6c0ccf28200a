// The README's tour, run as a newcomer would: on a fresh copy of the repository, offline against the replay
// server, every `sh tour` block in order; each command must succeed and print what the README says.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { copyRepository, parseTour, TourRunner, unmet } from './readme-tour.ts';

const repo = new URL('../../', import.meta.url).pathname;
const README = readFileSync(join(repo, 'README.md'), 'utf8');
/**
 * The ports the README uses, replaced by free ones so the test never needs a fixed port: 8099 is given on the
 * command line, 8080 is the API's default and 9333 the proxy's status port (the test sets SM_API_PORT and
 * SM_PROXY_STATUS_PORT, a newcomer does not). The Stratum ports (3333, 3334), which the tour does not dial, are
 * any free ones (SM_STRATUM_PORT=0).
 */
const README_PORTS = ['8099', '8080', '9333'];

/** Distinct free ports on 127.0.0.1 (bound together, then released). */
async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  for (let i = 0; i < count; i++) {
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    servers.push(server);
  }
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(
    servers.map((s) => {
      s.close();
      return once(s, 'close');
    }),
  );
  return ports;
}

/** The environment of a new shell: none of this machine's Smart Mining settings (the README starts from none). */
function newcomerEnv(tmp: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(SM_|DATABASE_URL$|MINERSTAT_|HASHRATENO_|COINGECKO_|NODE_TEST_CONTEXT$|npm_)/.test(name)) continue;
    env[name] = value;
  }
  return { ...env, TMPDIR: tmp };
}

describe('README tour', () => {
  it('reads the tour: commands in order, what they print, which keep running', () => {
    const steps = parseTour(
      [
        'text',
        '```sh',
        'npm ci   # not part of the tour',
        '```',
        '```sh tour',
        'server --port 8099 &   # runs on',
        '#> listening on 8099',
        '# a comment',
        'client   query',
        '#> answer  42',
        '```',
      ].join('\n'),
    );
    assert.deepEqual(steps, [
      { command: 'server --port 8099', background: true, expects: ['listening on 8099'], line: 6 },
      { command: 'client   query', background: false, expects: ['answer  42'], line: 9 },
    ]);
    assert.deepEqual(unmet(steps[1]!, 'the answer 42\n'), []);
    assert.deepEqual(unmet(steps[1]!, 'the answer 41\n'), ['answer  42']);
  });

  it('runs on a fresh copy, offline against the replay server, and answers as the README says', {
    timeout: 600_000,
  }, async () => {
    const ports = await freePorts(README_PORTS.length);
    // One pass, so a free port that contains the other README port (38080) is not rewritten again.
    const withPorts = README.replace(new RegExp(`\\b(${README_PORTS.join('|')})\\b`, 'g'), (port) =>
      String(ports[README_PORTS.indexOf(port)]),
    );
    const steps = parseTour(withPorts);
    assert.ok(steps.length >= 5, 'the README has a tour');
    const work = mkdtempSync(join(tmpdir(), 'sm-readme-'));
    const copy = join(work, 'smart-mining');
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: repo,
      encoding: 'utf8',
    })
      .split('\0')
      .filter((f) => f !== '' && existsSync(join(repo, f)));
    copyRepository(repo, files, copy);
    // What `npm ci` does after installing: its prepare step builds the command and the dashboard.
    execFileSync(process.execPath, ['scripts/prepare.mjs'], { cwd: copy, stdio: 'pipe' });
    const env = {
      ...newcomerEnv(work),
      SM_API_PORT: String(ports[1]),
      SM_PROXY_STATUS_PORT: String(ports[2]),
      SM_STRATUM_PORT: '0',
    };
    const runner = new TourRunner(copy, env, join(work, 'shell-state'));
    try {
      for (const step of steps) await runner.run(step, 300_000);
    } finally {
      await runner.stop();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
