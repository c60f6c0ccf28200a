// The one way tests wait: poll a condition (no fixed sleep decides anything) until it holds, or fail naming it.

export interface WaitForOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Named in the timeout error. */
  what?: string;
}

/**
 * Resolves with the first truthy value `read` returns (it may be async); rejects after `timeoutMs` (default
 * 90 s: generous, the machine may be loaded) naming what was awaited. After `read`: the name (then timeout and poll interval), or the options.
 */
export async function waitFor<T>(
  read: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  whatOrOptions: string | WaitForOptions = {},
  timeoutMs?: number,
  pollMs?: number,
): Promise<T> {
  const options =
    typeof whatOrOptions === 'string'
      ? { what: whatOrOptions, timeoutMs, intervalMs: pollMs }
      : whatOrOptions;
  const { timeoutMs: limitMs = 90_000, intervalMs = 5, what = 'condition' } = options;
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`waited ${limitMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
