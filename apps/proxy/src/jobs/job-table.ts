// The job table: proxy-unique downstream job ids (hex of a counter; pools reuse "1", "2") → the upstream job.

import type { UpstreamJob } from './upstream-job.ts';

export class JobTable {
  #jobs = new Map<string, UpstreamJob>();
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
    this.#jobs.delete(job.id);
  }

  get size(): number {
    return this.#jobs.size;
  }
}
