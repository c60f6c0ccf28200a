// ReportSink over the API: POST /v1/reports/miners (one entry per miner name and pool, its sessions summed) and
// /v1/reports/switches with the proxy token. A failed miner report is logged and dropped (the next one carries
// the counters again); a failed switch report is kept and sent again with its idempotency key, with a growing
// delay, a bounded number of times, in a bounded queue; one retry pass at a time.

import {
  type MinerReport as ApiMinerReport,
  type SwitchReport as ApiSwitchReport,
  decisionInputsSchema,
  LIMITS,
  reportStoredResponse,
  switchReportSchema,
} from '@smart-mining/api-contract';
import type { Logger } from 'pino';
import type { MinerReport, ReportSink, SwitchReport } from '../ports.ts';
import type { ApiClient } from './api-client.ts';

export interface ReportClientOptions {
  /** The proxy's name in reports (`proxy` in the bodies). */
  proxyId: string;
  logger: Logger;
  /** Deliveries of one switch report, the first included. */
  switchAttempts?: number;
  /** Delay before the first retry; doubles each time. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Switch reports kept for retry at most; beyond, the oldest is dropped (and logged). */
  maxPending?: number;
}

/** The decision inputs a switch without a decision carries (fallback, or inputs the API would not take). */
const NO_INPUTS = {
  thresholdFraction: 0,
  minDwellS: 0,
  algorithmSwitchCostS: 0,
  dwellS: null,
  marginFraction: null,
  netMarginFraction: null,
  expectedUsdPerDay: null,
};

/**
 * The agent a miner sent in mining.subscribe, as the API takes it: without control characters, at most 200
 * characters; null when nothing is left (a hostile agent must not cost the whole report).
 */
export function agentText(agent: string | null): string | null {
  const clean = (agent ?? '')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 200);
  return clean === '' ? null : clean;
}

/** A miner as the API stores it; null for a miner on no pool yet (the API keys stats by pool). */
export function toApiMiner(r: MinerReport): ApiMinerReport | null {
  if (r.poolKey === null) return null;
  return {
    miner: r.miner,
    poolKey: r.poolKey,
    profile: r.profile,
    hardware: r.hardware,
    algorithm: r.algorithm,
    agent: agentText(r.agent),
    connectedAt: r.connectedAt.toISOString(),
    accepted: r.accepted,
    rejected: r.rejected,
    stale: r.stale,
    hashrateHs: Math.min(Math.max(r.hashrateHs, 0), LIMITS.maxHashrateHs),
    usdPerDay: r.usdPerDay,
  };
}

/**
 * One entry per (miner, pool): the API keeps one row per proxy, miner and pool, so sessions sharing a name (rigs
 * of a farm under one worker name, or a bare wallet) sent apart would overwrite each other and all but one go
 * uncounted. Counters, hashrate and value are summed; connectedAt is the earliest; the rest is the first known.
 */
export function mergeSessions(miners: readonly ApiMinerReport[]): ApiMinerReport[] {
  const merged = new Map<string, ApiMinerReport>();
  for (const m of miners) {
    const key = `${m.miner}\u0000${m.poolKey}`;
    const seen = merged.get(key);
    if (seen === undefined) {
      merged.set(key, { ...m });
      continue;
    }
    seen.accepted = Math.min(seen.accepted + m.accepted, LIMITS.maxCount);
    seen.rejected = Math.min(seen.rejected + m.rejected, LIMITS.maxCount);
    seen.stale = Math.min(seen.stale + m.stale, LIMITS.maxCount);
    seen.hashrateHs = Math.min((seen.hashrateHs ?? 0) + (m.hashrateHs ?? 0), LIMITS.maxHashrateHs);
    if (m.usdPerDay != null)
      seen.usdPerDay = Math.min(
        Math.max((seen.usdPerDay ?? 0) + m.usdPerDay, -LIMITS.maxUsdPerDay),
        LIMITS.maxUsdPerDay,
      );
    if (m.connectedAt != null && (seen.connectedAt == null || m.connectedAt < seen.connectedAt))
      seen.connectedAt = m.connectedAt;
    seen.profile ??= m.profile;
    seen.hardware ??= m.hardware;
    seen.algorithm ??= m.algorithm;
    seen.agent ??= m.agent;
  }
  return [...merged.values()];
}

/**
 * The miners in requests the API takes: at most maxMinersPerReport each, and half its body limit in JSON (a
 * count alone would not do: with long names and agents 50,000 entries pass 16 MB and the whole report got 413).
 */
export function reportChunks(miners: readonly ApiMinerReport[]): ApiMinerReport[][] {
  const maxBytes = LIMITS.maxReportBodyBytes / 2;
  const chunks: ApiMinerReport[][] = [];
  let chunk: ApiMinerReport[] = [];
  let bytes = 0;
  for (const m of miners) {
    const size = Buffer.byteLength(JSON.stringify(m)) + 1;
    if (chunk.length > 0 && (bytes + size > maxBytes || chunk.length === LIMITS.maxMinersPerReport)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(m);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/** A switch as the API logs it: a failover is its own method; inputs the contract refuses become neutral ones. */
export function toApiSwitch(r: SwitchReport): ApiSwitchReport {
  const inputs = decisionInputsSchema.safeParse(r.inputs);
  return {
    idempotencyKey: r.idempotencyKey,
    at: r.at.toISOString(),
    account: r.route.account,
    route:
      r.decisionRoute ??
      [
        r.route.profile,
        r.route.hardware ? `hardware=${r.route.hardware}` : '',
        `algorithms=${r.route.algorithm}`,
      ]
        .filter(Boolean)
        .join('|'),
    profile: r.route.profile,
    fromPoolKey: r.from,
    toPoolKey: r.to,
    reason: r.reason.slice(0, 2000) || r.trigger,
    method: r.trigger === 'failover' ? 'failover' : r.method,
    miners: r.miners.length,
    inputs: inputs.success ? inputs.data : NO_INPUTS,
  };
}

interface Pending {
  report: ApiSwitchReport;
  attempts: number;
  dueMs: number;
}

export class HttpReportSink implements ReportSink {
  readonly #client: ApiClient;
  readonly #proxyId: string;
  readonly #logger: Logger;
  readonly #attempts: number;
  readonly #retryMinMs: number;
  readonly #retryMaxMs: number;
  readonly #maxPending: number;
  readonly #pending: Pending[] = [];
  #timer: NodeJS.Timeout | undefined;
  #sending: Promise<void> | undefined;

  constructor(client: ApiClient, options: ReportClientOptions) {
    this.#client = client;
    this.#proxyId = options.proxyId;
    this.#logger = options.logger;
    this.#attempts = options.switchAttempts ?? 8;
    this.#retryMinMs = options.retryMinMs ?? 2000;
    this.#retryMaxMs = options.retryMaxMs ?? 120_000;
    this.#maxPending = options.maxPending ?? 1000;
  }

  /** Switch reports waiting for a retry. */
  get pending(): number {
    return this.#pending.length;
  }

  async miners(reports: MinerReport[]): Promise<void> {
    const miners = mergeSessions(reports.flatMap((r) => toApiMiner(r) ?? []));
    for (const chunk of reportChunks(miners)) {
      // No reportedAt: the API stamps the report as received, so the proxy's clock does not matter.
      const body = { proxy: this.#proxyId, miners: chunk };
      // A failure is logged once, by the caller (the proxy's reporter).
      await this.#client.post('/v1/reports/miners', body, reportStoredResponse);
    }
  }

  async switched(report: SwitchReport): Promise<void> {
    const body = toApiSwitch(report);
    const checked = switchReportSchema.safeParse(body);
    if (!checked.success) {
      // The API would refuse it every time: say why once.
      this.#logger.error({ report: body, problem: checked.error.issues[0] }, 'switch report not valid');
      return;
    }
    const entry: Pending = { report: body, attempts: 0, dueMs: 0 };
    if (!(await this.#deliver(entry))) this.#keep(entry);
  }

  /** Sends every kept switch report once now (shutdown); resolves when done, whatever the outcome. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#sending;
    const due = this.#pending.splice(0);
    for (const entry of due) {
      if (!(await this.#deliver(entry))) this.#logger.warn({ report: entry.report }, 'switch report lost');
    }
  }

  /** Stops retrying (kept reports are dropped). */
  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending.length = 0;
  }

  async #deliver(entry: Pending): Promise<boolean> {
    entry.attempts++;
    try {
      await this.#client.post(
        '/v1/reports/switches',
        { proxy: this.#proxyId, switches: [entry.report] },
        reportStoredResponse,
      );
      return true;
    } catch (error) {
      const refused = (error as { code?: string }).code === 'SM_PROXY_API_REFUSED';
      const status = (error as { status?: number }).status;
      // A refusal other than auth or size will not change on retry.
      const retryable = !refused || status === 401 || status === 403 || status === 429;
      this.#logger.warn(
        { err: error, idempotencyKey: entry.report.idempotencyKey, attempt: entry.attempts, retryable },
        'switch report not delivered',
      );
      if (!retryable) entry.attempts = this.#attempts;
      return false;
    }
  }

  #keep(entry: Pending): void {
    if (entry.attempts >= this.#attempts) {
      this.#logger.error({ report: entry.report, attempts: entry.attempts }, 'switch report given up');
      return;
    }
    const delay = Math.min(this.#retryMaxMs, this.#retryMinMs * 2 ** (entry.attempts - 1));
    entry.dueMs = Date.now() + delay;
    this.#pending.push(entry);
    while (this.#pending.length > this.#maxPending) {
      const dropped = this.#pending.shift()!;
      this.#logger.error({ report: dropped.report }, 'switch report dropped: retry queue full');
    }
    this.#schedule();
  }

  #schedule(): void {
    // One pass at a time: a pass still running (a slow API) schedules the next when it ends. Two passes would both
    // take the reports due when they started: each sent twice, and one splice of a report already taken drops
    // another report from the queue.
    if (this.#timer !== undefined || this.#sending !== undefined || this.#pending.length === 0) return;
    const next = Math.min(...this.#pending.map((p) => p.dueMs));
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#sending = this.#retryDue().finally(() => {
          this.#sending = undefined;
          this.#schedule();
        });
      },
      Math.max(0, next - Date.now()),
    );
    this.#timer.unref();
  }

  async #retryDue(): Promise<void> {
    const now = Date.now();
    const due = this.#pending.filter((p) => p.dueMs <= now);
    for (const entry of due) {
      const at = this.#pending.indexOf(entry);
      if (at === -1) continue; // dropped meanwhile (queue full, close)
      this.#pending.splice(at, 1);
      if (!(await this.#deliver(entry))) this.#keep(entry);
    }
  }
}
