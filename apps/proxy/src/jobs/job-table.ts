// The job table: proxy-unique downstream job ids (hex of a counter; pools reuse "1", "2") → the upstream job.

import type { UpstreamJob } from './upstream-job.ts';

/** Ids of jobs gone (cleaned, expired, upstream closed) remembered with their pool, to count stale shares there. */
const RETIRED_KEPT = 4096;

export class JobTable {
  #jobs = new Map<string, UpstreamJob>();
  #retired = new Map<string, string>();
  #next = 0;

  /** A fresh id, hex-looking as some miners expect (stratum.md §8.3). */
  nextId(): string {
    this.#next++;
    return this.#next.toString(16);
  }

  add(job: UpstreamJob): void {
    this.#jobs.set(job.id, job);
  }

  get(id: string): UpstreamJob | undefined {
    return this.#jobs.get(id);
  }

  delete(job: UpstreamJob): void {
    if (!this.#jobs.delete(job.id)) return;
    this.#retired.set(job.id, job.upstream.target.poolKey);
    if (this.#retired.size > RETIRED_KEPT) this.#retired.delete(this.#retired.keys().next().value!);
  }

  /** The pool of a job that is gone, if it was recent. */
  retiredPool(id: string): string | undefined {
    return this.#retired.get(id);
  }

  get size(): number {
    return this.#jobs.size;
  }
}
