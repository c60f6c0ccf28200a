// Runs a command as its own process and watches it: wall time, and peak resident memory of the process and of
// any child it starts (read from /proc; undefined where there is none).

import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessRun {
  wallMs: number;
  exitCode: number | null;
  /** Peak RSS of the process itself, MB. */
  peakRssMb?: number;
  /** Peak RSS of the largest child it started (PGlite's initdb), MB. */
  childPeakRssMb?: number;
  stdout: string;
}

/** VmHWM (peak) or VmRSS (now) of a process in MB; undefined once it is gone or without /proc. */
export function rssMb(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number),
    );
  } catch {
    return [];
  }
}

export function start(args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs `node args…` to its end, sampling memory every 20 ms (the peak counter itself never misses a peak). */
export async function runProcess(args: readonly string[], env: NodeJS.ProcessEnv): Promise<ProcessRun> {
  const t0 = performance.now();
  const child = start(args, env);
  const pid = child.pid!;
  let peak: number | undefined;
  let childPeak: number | undefined;
  const sample = () => {
    peak = Math.max(peak ?? 0, rssMb(pid, 'VmHWM') ?? 0) || peak;
    for (const c of childrenOf(pid))
      childPeak = Math.max(childPeak ?? 0, rssMb(c, 'VmHWM') ?? 0) || childPeak;
  };
  const timer = setInterval(sample, 20);
  let stdout = '';
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr!.resume();
  const exitCode = await new Promise<number | null>((resolve) => {
    // The peak is read once more just before the process is reaped (on 'exit' it may already be gone).
    child.stdout!.on('end', sample);
    child.on('exit', (code) => resolve(code));
  });
  clearInterval(timer);
  return {
    wallMs: performance.now() - t0,
    exitCode,
    ...(peak !== undefined ? { peakRssMb: peak } : {}),
    ...(childPeak !== undefined ? { childPeakRssMb: childPeak } : {}),
    stdout,
  };
}
