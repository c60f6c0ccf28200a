// mining.submit: state checks (25, 24), the local judgement, then the pool's verdict relayed, or a local answer.

import { encodeAccepted, encodeError, hashesOffThread, type V1Call, wireError } from '@smart-mining/stratum';
import { judgeShare, judgeShareOffThread, type ShareVerdict } from '../../jobs/share-validator.ts';
import type { UpstreamJob } from '../../jobs/upstream-job.ts';
import type { MinerSession } from '../miner-session.ts';

type SubmitCall = Extract<V1Call, { method: 'mining.submit' }>;

/**
 * Shares whose hash may wait on the thread pool at once. Past this the pool is behind and the share is hashed in
 * turn: the event loop then slows the miners' reads (backpressure), and the pool's queue stays short for the
 * process's other work there (DNS lookups, files), a few milliseconds at most.
 */
export const MAX_HASHES_OFF_THREAD = 64;
let hashingOffThread = 0;

export function submit(s: MinerSession, call: SubmitCall): void {
  if (s.lane < 0) {
    s.reject(call.id, 'notSubscribed');
    return;
  }
  // A miner told to reconnect ('closing') was authorized: the shares it sent before reading that still count.
  if (s.state !== 'authorized' && !(s.state === 'closing' && s.account !== null)) {
    s.reject(call.id, 'unauthorized');
    return;
  }
  const job = s.ctx.jobs.get(call.params.jobId);
  if (!hashesOffThread(s.listener.config.algorithm) || hashingOffThread >= MAX_HASHES_OFF_THREAD) {
    act(s, call, job, judgeShare(s, job, call.params));
    return;
  }
  hashingOffThread++;
  // Later, outside the dispatcher's guard: a fault of ours answers this share and is logged, as there.
  judgeShareOffThread(s, job, call.params, (verdict) => {
    hashingOffThread--;
    try {
      act(s, call, job, verdict);
    } catch (e) {
      s.ctx.logger.error({ err: e, method: call.method, miner: s.id }, 'miner request failed');
      s.send(encodeError(call.id, wireError('other', 'Internal error')));
    }
  });
}

function act(s: MinerSession, call: SubmitCall, job: UpstreamJob | undefined, verdict: ShareVerdict): void {
  const counts = s.ctx.shares;
  if (verdict.kind !== 'reject') s.vardiffHashes += verdict.hashes;
  switch (verdict.kind) {
    case 'forward':
      verdict.job.upstream.submit(s, call.id, verdict.job, verdict.shape, call.params, verdict.hashes);
      return;
    case 'local':
      // The pool of the share's job: after a switch, a late share still counts where it was mined.
      counts.accepted(s, verdict.job.upstream.target.poolKey, verdict.hashes);
      s.send(encodeAccepted(call.id));
      return;
    case 'reject': {
      const poolKey =
        job?.upstream.target.poolKey ??
        s.ctx.jobs.retiredPool(call.params.jobId) ??
        s.upstream?.target.poolKey ??
        null;
      if (verdict.stale) counts.stale(s, poolKey);
      else counts.rejected(s, poolKey);
      s.send(encodeError(call.id, wireError(verdict.name, verdict.message)));
    }
  }
}
