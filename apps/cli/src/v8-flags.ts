// The proxy's memory target needs V8's young generation capped (`--max-semi-space-size=1`): its default grows to
// 16 MiB per semi-space and holds only short-lived garbage (docs/benchmarks.md). A V8 flag cannot be set once the
// process runs, so `smart-mining proxy` starts itself again with it unless it is already given.

import { spawn } from 'node:child_process';
import cluster from 'node:cluster';

export const PROXY_V8_FLAG = '--max-semi-space-size=1';
/** Set in the started-again child. */
const CHILD_ENV = 'SM_REEXEC_CHILD';

/** Commands whose process should run with the flag. */
const COMMANDS = new Set(['proxy']);

/**
 * The node arguments to start again with, or null: the command is not the proxy, a semi-space size is already
 * set (node arguments or NODE_OPTIONS), or SM_PROXY_V8_FLAGS=off.
 */
export function reexecArgs(
  argv: readonly string[],
  execArgv: readonly string[],
  env: NodeJS.ProcessEnv,
): string[] | null {
  const command = argv.slice(2).find((a) => !a.startsWith('-'));
  if (command === undefined || !COMMANDS.has(command)) return null;
  if (env.SM_PROXY_V8_FLAGS === 'off') return null;
  const given = [...execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (given.some((a) => a.startsWith('--max-semi-space-size'))) return null;
  return [...execArgv, PROXY_V8_FLAG, ...argv.slice(1)];
}

/**
 * Runs this command again in a child with the flag; signals are passed on, its exit code is ours. The child has an
 * IPC channel to this process: if this one dies without passing a signal on (SIGKILL), the child sees the channel
 * close and stops as on SIGTERM (see `stopWithParent`), instead of living on as an orphan.
 */
export function reexec(args: string[]): Promise<never> {
  const child = spawn(process.execPath, args, {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [CHILD_ENV]: '1' },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise<never>(() => {
    child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  });
}

/** In the started-again child: stop (as on SIGTERM) when the launcher is gone; the channel keeps nothing alive. */
export function stopWithParent(): void {
  // A proxy worker's channel leads to its primary, and node:cluster ends the worker when the primary is gone.
  if (cluster.isWorker) return;
  if (process.env[CHILD_ENV] !== '1' || !process.channel) return;
  process.channel.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
