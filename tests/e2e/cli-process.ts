// The `smart-mining` command as a real process (the dev launcher, from the sources): its output, its JSON log
// lines, its exit.

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { waitFor } from '@smart-mining/testkit';

const LAUNCHER = new URL('../../apps/cli/bin/smart-mining.mjs', import.meta.url).pathname;

export interface LogLine {
  msg: string;
  [key: string]: unknown;
}

export interface CliProcess {
  child: ChildProcess;
  readonly stdout: string;
  readonly stderr: string;
  /** The complete JSON log lines printed so far. */
  logs(): LogLine[];
  /** Waits for a log line with this message (and what `match` checks), and returns it. */
  waitForLog(msg: string, match?: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Resolves with the exit code (null when killed by a signal). */
  exited(): Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv): CliProcess {
  const child = spawn(process.execPath, [LAUNCHER, ...args], {
    env: { ...process.env, SM_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exit = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else void once(child, 'exit').then(([code]) => resolve(code as number | null));
  });
  const logs = () =>
    stdout
      .split('\n')
      .slice(0, -1)
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as LogLine);
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    logs,
    waitForLog: (msg, match = () => true, timeoutMs = 90_000) =>
      waitFor(
        () => {
          if (child.exitCode !== null) {
            throw new Error(`exited ${child.exitCode} before logging "${msg}":\n${stdout}\n${stderr}`);
          }
          return logs().find((l) => l.msg === msg && match(l));
        },
        { what: `log line "${msg}"`, timeoutMs, intervalMs: 50 },
      ),
    exited: () => exit,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
