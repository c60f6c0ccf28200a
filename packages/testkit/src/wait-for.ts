// Waiting for a condition in tests: checked every few milliseconds, bounded (generously: the machine may be
// loaded), never a fixed sleep.

/** Resolves when `check()` returns true; rejects with `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean, what = 'condition', timeoutMs = 90_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
