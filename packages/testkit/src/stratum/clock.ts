// Wall-clock milliseconds with sub-millisecond resolution, comparable between processes on one machine.

/** Epoch ms (performance.timeOrigin + now): the pool's job send times and the miners' arrival times meet here. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}
