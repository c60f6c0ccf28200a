// Micro-benchmark of the Stratum library's hot paths (framing, parsing, notify encoding, share checks); seconds.
//
//   node --import tsx scripts/bench/stratum-micro.ts      → a markdown table on stdout

import {
  checkShare,
  checkShareOffThread,
  decodeV1Call,
  encodeNotify,
  LineFramer,
  type LineSink,
  parseMessage,
  prepareJob,
  type RpcCall,
  targetFromDifficulty,
  targetToBytes,
  uint32ToHex,
} from '@smart-mining/stratum';
import { newSimBlock, SimJob } from '@smart-mining/testkit';

/** Runs `fn` for about `ms` and returns the mean µs per call. */
function measure(fn: (i: number) => void, ms = 300): number {
  for (let i = 0; i < 1000; i++) fn(i); // warm-up
  let calls = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    for (let i = 0; i < 100; i++) fn(calls++);
  }
  return ((performance.now() - t0) * 1000) / calls;
}

const submitLine = (i: number) =>
  `{"id":${i},"method":"mining.submit","params":["acct.rig1","1a","0000${uint32ToHex(i)}","6752b1c0","${uint32ToHex(i * 7)}"]}`;

// Framing: 1400-byte chunks (a TCP segment) of submit lines, lines cut across chunks.
const stream = Buffer.from(Array.from({ length: 2000 }, (_, i) => `${submitLine(i)}\n`).join(''));
const chunks: Buffer[] = [];
for (let at = 0; at < stream.length; at += 1400) chunks.push(stream.subarray(at, at + 1400));
let lines = 0;
const sink: LineSink = { onLine: () => lines++, onLineError: () => {} };
const framer = new LineFramer(16 * 1024, sink);
const framePerChunkUs = measure((i) => framer.push(chunks[i % chunks.length]!));
const framePerLineUs = (framePerChunkUs * chunks.length) / 2000;

const parseUs = measure((i) => decodeV1Call(parseMessage(submitLine(i & 1023)) as RpcCall, 'miner'));

const job = new SimJob('0001', 1, newSimBlock(800_000, '1703a30c', 12), true, 1_700_000_000).shape(12);
const notifyUs = measure(() => encodeNotify(job.notify));

// A pool job of the proxy benchmark's size: 4 branches.
const job4 = new SimJob('0002', 2, newSimBlock(800_000, '1703a30c', 4), true, 1_700_000_000).shape(12);

function shareCheckUs(algorithm: 'sha256d' | 'scrypt', ms: number, shape = job) {
  const prepared = prepareJob(shape.notify);
  const shareTarget = targetToBytes(targetFromDifficulty(algorithm, 1));
  return measure(
    (i) =>
      checkShare({
        algorithm,
        job: prepared,
        extranonce1: '0a0b0c0d',
        extranonce2: `0000${uint32ToHex(i)}`,
        ntime: shape.notify.ntime,
        nonce: uint32ToHex(i),
        versionMask: 0,
        shareTarget,
      }),
    ms,
  );
}

/** scrypt shares as the proxy checks them, on the thread pool: wall time per share with `count` in flight. */
async function scryptOffThreadUs(count: number): Promise<number> {
  const prepared = prepareJob(job.notify);
  const shareTarget = targetToBytes(targetFromDifficulty('scrypt', 1));
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    let left = count;
    for (let i = 0; i < count; i++) {
      checkShareOffThread(
        {
          algorithm: 'scrypt',
          job: prepared,
          extranonce1: '0a0b0c0d',
          extranonce2: `0000${uint32ToHex(i)}`,
          ntime: job.notify.ntime,
          nonce: uint32ToHex(i),
          versionMask: 0,
          shareTarget,
        },
        () => {
          if (--left === 0) resolve();
        },
      );
    }
  });
  return ((performance.now() - t0) * 1000) / count;
}

await scryptOffThreadUs(200); // warm-up
const scryptOffThread = await scryptOffThreadUs(2000);

const rows: [string, number][] = [
  ['frame one submit line (1400-byte chunks)', framePerLineUs],
  ['parse + decode one mining.submit', parseUs],
  ['encode one mining.notify (12 branches)', notifyUs],
  ['check one sha256d share (12 branches)', shareCheckUs('sha256d', 500)],
  ['check one sha256d share (4 branches)', shareCheckUs('sha256d', 500, job4)],
  ['check one scrypt share (12 branches)', shareCheckUs('scrypt', 500)],
  [
    `check scrypt shares on the thread pool (${process.env.UV_THREADPOOL_SIZE ?? 4} threads, 2000 in flight), wall time per share`,
    scryptOffThread,
  ],
];
process.stdout.write(
  `| operation | µs per op | ops/s |\n|---|---|---|\n${rows
    .map(([name, us]) => `| ${name} | ${us.toFixed(2)} | ${Math.round(1e6 / us).toLocaleString('en')} |`)
    .join('\n')}\n`,
);
if (lines === 0) throw new Error('framer produced no lines');
