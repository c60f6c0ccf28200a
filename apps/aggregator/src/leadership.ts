// Leadership among aggregators sharing one database: the instance holding the lease ingests, the others stand by
// and take it over once it expires (its holder died or hangs). Each ingest is fenced by the lease's epoch, so a
// leader that lost the lease while paused cannot commit afterwards.

import {
  acquireLease,
  assertLeaseHeld,
  type Db,
  LeaseLostError,
  type LeaseState,
  type Queryable,
  readLease,
  releaseLease,
  renewLease,
} from '@smart-mining/db';
import type { Logger } from 'pino';

export type Role = 'leader' | 'standby';

export interface LeadershipOptions {
  db: Db;
  /** This instance's name in the lease (unique per process). */
  holder: string;
  /** How long a lease lasts without renewal: the longest a dead or hung leader keeps the others waiting. */
  ttlS: number;
  /** How often the leader renews and a standby tries to acquire; well below `ttlS`. */
  renewS: number;
  logger: Logger;
}

export interface LeadershipStatus {
  role: Role;
  holder: string;
  /** The epoch of the lease this instance holds (leader only). */
  epoch?: number;
  /** Last answer from the database about the lease (any holder). */
  lease?: LeaseState;
}

export interface Leadership {
  readonly holder: string;
  status(): LeadershipStatus;
  /** Hears every change of role (after the change). */
  onChange(listener: (role: Role) => void): void;
  /** One acquire-or-renew step; `start` repeats it every `renewS`. Resolves with the role after it. */
  tick(): Promise<Role>;
  start(): void;
  /** The fencing check for an ingest transaction (throws LeaseLostError); a leader that fails it steps down. */
  fence(tx: Queryable): Promise<void>;
  /** Stops the renewals and frees the lease if held (a standby then takes over at its next try). */
  stop(): Promise<void>;
}

export function createLeadership(options: LeadershipOptions): Leadership {
  const { db, holder, ttlS, renewS, logger: log } = options;
  if (!(renewS > 0 && renewS < ttlS)) {
    throw new RangeError(`lease renewal every ${renewS} s must be above 0 and below the lease (${ttlS} s)`);
  }
  const listeners: ((role: Role) => void)[] = [];
  let epoch: number | undefined;
  let lease: LeaseState | undefined;
  /** Local deadline of the held lease: past it, this instance assumes it lost the lease even without an answer. */
  let heldUntilMs = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let ticking: Promise<Role> | undefined;

  const role = (): Role => (epoch !== undefined ? 'leader' : 'standby');
  /** `announce` false: a stop, which logs the release itself rather than a standby that is not waiting. */
  const become = (next: LeaseState | undefined, startedMs: number, announce = true) => {
    const before = role();
    if (next && next.holder === holder) {
      epoch = next.epoch;
      // Counted from before the statement was sent: the server's expiry is at least this late.
      heldUntilMs = startedMs + ttlS * 1000;
    } else epoch = undefined;
    const after = role();
    if (after !== before) {
      // `lease`, not `role`: the process's role (`aggregator`) is on every line, and one key cannot hold both.
      if (announce) {
        log.info(
          { holder, lease: after, epoch: next?.epoch },
          after === 'leader' ? 'leading' : 'standing by',
        );
      }
      for (const l of listeners) l(after);
    }
  };

  const step = async (): Promise<Role> => {
    const startedMs = performance.now();
    try {
      if (epoch !== undefined) {
        const renewed = await renewLease(db, holder, epoch, ttlS);
        if (!renewed) log.warn({ holder, epoch }, 'lease lost to another aggregator');
        lease = renewed ?? lease;
        become(renewed, startedMs);
      } else {
        const acquired = await acquireLease(db, holder, ttlS);
        lease = acquired ?? (await readLease(db));
        become(acquired, startedMs);
      }
    } catch (error) {
      log.warn({ err: error, holder }, 'lease check failed');
      // Without an answer the lease cannot be trusted past its own expiry.
      if (epoch !== undefined && performance.now() >= heldUntilMs) become(undefined, startedMs);
    }
    return role();
  };

  /** Each start() begins a chain of renewals; an older chain (before a stop) ends at its next step. */
  let chain = 0;
  const scheduleFor = (mine: number) => {
    const next = () => {
      if (stopped || mine !== chain) return;
      timer = setTimeout(() => {
        void leadership.tick().finally(next);
      }, renewS * 1000);
    };
    return next;
  };

  const leadership: Leadership = {
    holder,
    status: () => ({
      role: role(),
      holder,
      ...(epoch !== undefined ? { epoch } : {}),
      ...(lease ? { lease } : {}),
    }),
    onChange(listener) {
      listeners.push(listener);
    },
    tick() {
      // One step at a time: a slow renewal must not overlap the next.
      ticking ??= step().finally(() => {
        ticking = undefined;
      });
      return ticking;
    },
    start() {
      // Restartable: `aggregate --once` leads for one cycle at a time.
      stopped = false;
      chain += 1;
      if (timer) clearTimeout(timer);
      void leadership.tick().finally(scheduleFor(chain));
    },
    async fence(tx) {
      const held = epoch;
      // Not leading, or past the local deadline without a renewal: no need to ask the database.
      if (held === undefined) throw new LeaseLostError(holder, lease?.epoch ?? 0);
      if (performance.now() >= heldUntilMs) {
        become(undefined, 0);
        throw new LeaseLostError(holder, held);
      }
      try {
        await assertLeaseHeld(tx, holder, held);
      } catch (error) {
        // Lost for sure: stand by now. Any other failure (the database away) leaves it to the renewals.
        if (error instanceof LeaseLostError && epoch === held) become(undefined, 0);
        throw error;
      }
    },
    async stop() {
      stopped = true;
      chain += 1;
      if (timer) clearTimeout(timer);
      await ticking;
      const held = epoch;
      if (held === undefined) return;
      become(undefined, 0, false);
      try {
        if (await releaseLease(db, holder, held)) log.info({ holder, epoch: held }, 'lease released');
      } catch (error) {
        log.warn({ err: error, holder }, 'lease not released: it expires by itself');
      }
    },
  };
  return leadership;
}
