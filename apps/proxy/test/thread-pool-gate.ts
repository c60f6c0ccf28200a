// Holds every thread of libuv's pool until released: work queued behind it (node:crypto's async jobs) waits,
// deterministically, without timing. Each thread blocks opening a FIFO for reading until a writer opens it.

import { execFileSync } from 'node:child_process';
import { close, closeSync, constants, mkdtempSync, open, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Occupies the pool's threads (UV_THREADPOOL_SIZE, default 4); the result releases them and cleans up. */
export function holdThreadPool(): () => Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sm-thread-gate-'));
  const fifo = join(dir, 'gate');
  execFileSync('mkfifo', [fifo]);
  const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  const held = Array.from(
    { length: threads },
    () =>
      new Promise<void>((resolve) => {
        open(fifo, 'r', (error, fd) => {
          if (error === null) close(fd, () => resolve());
          else resolve();
        });
      }),
  );
  return async () => {
    // A read-write open of a FIFO never blocks (Linux) and is a writer: while it is open, every reader's open,
    // even one of a thread that started late, returns.
    const writer = openSync(fifo, constants.O_RDWR);
    await Promise.all(held);
    closeSync(writer);
    rmSync(dir, { recursive: true, force: true });
  };
}
