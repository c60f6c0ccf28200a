// One process per PGlite data directory: PGlite runs inside the process that opens it, so a second process on the
// same directory would see only its own writes and lose some of them. A lock file in the directory names its holder.

import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { DbError } from './errors.ts';

export const LOCK_FILE_NAME = 'smart-mining.lock';

export interface LockHolder {
  pid: number;
  hostname: string;
  /** The command line of the holder, e.g. `main.ts start`. */
  command: string;
  startedAt: string;
}

/** Lock files held by this process (a second open of the same directory in one process is refused too). */
const heldHere = new Set<string>();

function describeCommand(argv: readonly string[]): string {
  return [basename(argv[1] ?? 'node'), ...argv.slice(2)].join(' ');
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    return typeof holder.pid === 'number' ? (holder as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the holder may still run. Another host's process cannot be checked, so it counts as running. */
function isRunning(holder: LockHolder, file: string): boolean {
  if (holder.hostname !== hostname()) return true;
  // Our own pid in a lock we do not hold: left by an earlier process that had the same pid (a container restart).
  if (holder.pid === process.pid) return heldHere.has(file);
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockedMessage(dataDir: string, holder: LockHolder, file: string): string {
  const who =
    holder.pid === process.pid
      ? 'this process already has it open'
      : `it is in use by process ${holder.pid}${holder.hostname === hostname() ? '' : ` on ${holder.hostname}`} ` +
        `(${holder.command}, since ${holder.startedAt})`;
  return (
    `the embedded database in ${dataDir} is locked: ${who}. PGlite allows one process per data directory. ` +
    'Stop that process first (`smart-mining start` already runs the aggregator and the API together), ' +
    'or set DATABASE_URL to a PostgreSQL server, which several processes can share. ' +
    `If that process is gone, delete ${file}.`
  );
}

/**
 * Throws SM_DB_LOCKED when a running process holds `dataDir`, taking nothing: a command checks this before its
 * ports, so a second `start` names the process it collides with rather than the port they both want.
 */
export function assertDataDirFree(dataDir: string): void {
  const file = join(resolve(dataDir), LOCK_FILE_NAME);
  const holder = readHolder(file);
  if (holder && isRunning(holder, file))
    throw new DbError('SM_DB_LOCKED', lockedMessage(dataDir, holder, file));
}

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

/** Takes the lock on `dataDir` (which must exist) or throws SM_DB_LOCKED naming the holder and what to do. */
export function lockDataDir(dataDir: string, argv: readonly string[] = process.argv): DataDirLock {
  const file = join(resolve(dataDir), LOCK_FILE_NAME);
  const me: LockHolder = {
    pid: process.pid,
    hostname: hostname(),
    command: describeCommand(argv),
    startedAt: new Date().toISOString(),
  };
  // Two tries: the second follows the removal of a lock whose holder is gone.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${JSON.stringify(me)}\n`, { flag: 'wx' });
      return holdLock(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(file);
    if (holder && isRunning(holder, file))
      throw new DbError('SM_DB_LOCKED', lockedMessage(dataDir, holder, file));
    // An unreadable lock that is seconds old is being written by a process starting now, not left behind.
    if (!holder && isRecent(file)) break;
    rmSync(file, { force: true });
  }
  throw new DbError(
    'SM_DB_LOCKED',
    `the embedded database in ${dataDir} is locked by another process starting now; ` +
      `try again in a few seconds, or delete ${file} if no process uses the directory`,
  );
}

const WRITING_LOCK_MS = 5000;

function isRecent(file: string): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs < WRITING_LOCK_MS;
  } catch {
    return false;
  }
}

function holdLock(file: string): DataDirLock {
  heldHere.add(file);
  // A process that exits without closing the database still frees the directory.
  const onExit = () => release();
  process.on('exit', onExit);
  const release = () => {
    if (!heldHere.delete(file)) return;
    process.off('exit', onExit);
    if (readHolder(file)?.pid === process.pid) rmSync(file, { force: true });
  };
  return { file, release };
}
