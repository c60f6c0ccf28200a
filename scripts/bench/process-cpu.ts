// CPU time of a process and its descendants, read from /proc (Linux): for children that report nothing themselves.

import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (USER_HZ: 100 on every Linux build Node runs on). */
const TICKS_PER_S = 100;

interface Stat {
  ppid: number;
  ticks: number;
}

function readStat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // exited meanwhile
  }
  // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
  return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
}

/** User + system CPU of `pid` and every live descendant, in µs; NaN where /proc is missing. */
export function treeCpuUs(pid: number): number {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((n) => /^\d+$/.test(n))
      .map(Number);
  } catch {
    return Number.NaN;
  }
  const children = new Map<number, number[]>();
  const stats = new Map<number, Stat>();
  for (const p of pids) {
    const s = readStat(p);
    if (s === undefined) continue;
    stats.set(p, s);
    children.set(s.ppid, [...(children.get(s.ppid) ?? []), p]);
  }
  if (!stats.has(pid)) return Number.NaN;
  let ticks = 0;
  const todo = [pid];
  for (let p = todo.pop(); p !== undefined; p = todo.pop()) {
    ticks += stats.get(p)?.ticks ?? 0;
    todo.push(...(children.get(p) ?? []));
  }
  return (ticks / TICKS_PER_S) * 1e6;
}
