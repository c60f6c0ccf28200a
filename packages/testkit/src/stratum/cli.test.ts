import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const children: ChildProcessWithoutNullStreams[] = [];
after(() => {
  for (const c of children) c.kill();
});

/** Starts a script with tsx and yields its stdout JSON lines. */
function run(script: string, args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', here(script), ...args]);
  children.push(child);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`${script} ended`);
    return JSON.parse(value);
  };
  return { child, next };
}

/** The pool CLI with `poolArgs`, and 20 load miners at 5 shares/s for 1 s on it, every one ready. */
async function poolWithLoad(poolArgs: string[]) {
  const pool = run('./pool-cli.ts', poolArgs);
  const listening = await pool.next();
  assert.equal(listening.event, 'listening');
  const load = run('./load-cli.ts', [
    '--port',
    String(listening.port),
    '--miners',
    '20',
    '--rate',
    '5',
    '--duration-s',
    '1',
  ]);
  assert.deepEqual(await load.next(), { event: 'ready', miners: 20, mining: 20 });
  return { pool, load };
}

describe('pool and load generator as separate processes', () => {
  it('the load CLI mines against the pool CLI; the pool reports every share accepted and its job send times', async () => {
    const { pool, load } = await poolWithLoad([
      '--algorithm',
      'sha256d',
      '--difficulty',
      'load',
      '--job-interval-ms',
      '200',
    ]);
    const result = (await load.next()) as {
      event: string;
      stats: { accepted: number; errors: number };
      jobArrivals: unknown[];
    };
    assert.equal(result.event, 'result');
    assert.ok(result.stats.accepted > 0);
    assert.equal(result.stats.errors, 0);
    assert.ok(result.jobArrivals.length > 0);
    pool.child.stdin.write('{"cmd":"stats"}\n');
    const stats = (await pool.next()) as {
      stats: { accepted: number; rejectedByCode: Record<string, number> };
      jobsSent: unknown[];
    };
    assert.ok(stats.stats.accepted >= result.stats.accepted);
    assert.deepEqual(
      Object.keys(stats.stats.rejectedByCode).filter((c) => c !== '21'),
      [],
    );
    assert.ok(stats.jobsSent.length > 0);
    pool.child.stdin.write('{"cmd":"stop"}\n');
    assert.equal((await pool.next()).event, 'stats');
  });

  it('a pool of several workers serves one port: stats summed over them, one job clock', async () => {
    const { pool, load } = await poolWithLoad([
      '--difficulty',
      'load',
      '--job-interval-ms',
      '200',
      '--workers',
      '2',
    ]);
    const result = (await load.next()) as { stats: { accepted: number; errors: number } };
    assert.equal(result.stats.errors, 0);
    pool.child.stdin.write('{"cmd":"stats"}\n');
    const stats = (await pool.next()) as {
      stats: { accepted: number; workers: Record<string, unknown> };
      jobsSent: { seq: number }[];
    };
    assert.ok(stats.stats.accepted >= result.stats.accepted);
    assert.equal(Object.keys(stats.stats.workers).length, 20);
    // Every worker sends job seq n at the same tick: the merged list has each seq once, in order.
    const seqs = stats.jobsSent.map((j) => j.seq);
    assert.deepEqual(
      seqs,
      [...new Set(seqs)].sort((a, b) => a - b),
    );
    assert.ok(seqs.length > 2);
    pool.child.stdin.write('{"cmd":"stop"}\n');
    assert.equal((await pool.next()).event, 'stats');
  });
});
