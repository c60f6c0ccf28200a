// `smart-mining backtest`: replays a profile over the stored history (the API's /v1/backtest, in process) and
// prints a summary: USD earned, switches, the best fixed target, and the timeline of target changes.

import { buildApp } from '@smart-mining/api';
import type { BacktestReportJson } from '@smart-mining/api-contract';
import { type Config, createLogger, loadConfig } from '@smart-mining/platform';
import type { Command } from 'commander';
import { openDatabase } from '../compose.ts';

export interface BacktestOptions {
  profile?: string;
  algorithms?: string;
  hashrate?: string;
  hardware?: string;
  from: string;
  to: string;
  step?: string;
}

type TextSink = { write(text: string): unknown };

export interface BacktestDeps {
  config?: Config;
  out?: TextSink;
  err?: TextSink;
}

type Runner = (action: () => Promise<number>) => () => Promise<void>;

export function registerBacktestCommand(program: Command, run: Runner): void {
  program
    .command('backtest')
    .description(
      'replay a profile over the stored coin and pool history: USD earned, switches, best fixed target',
    )
    .option('--profile <name>', 'profile to replay (default: max-usd-coin)')
    .option(
      '--algorithms <list>',
      'algorithms the miner mines, e.g. etchash,kawpow (required without --hardware)',
    )
    .option(
      '--hashrate <hs>',
      'H/s for --algorithms: one value or one per algorithm (default 1: results per H/s)',
    )
    .option('--hardware <key>', "a known device, e.g. nvidia-rtx-3080, at today's measured hashrates")
    .requiredOption('--from <iso>', 'start of the replay, ISO date or date-time in UTC (inclusive)')
    .requiredOption('--to <iso>', 'end of the replay, ISO date or date-time in UTC (exclusive)')
    .option('--step <seconds>', 'seconds between decisions, at least 60 (default 3600)')
    .action((opts: BacktestOptions) => run(() => backtestCommand(opts))());
}

/** Returns the exit code: 0 with the summary on `out`, 1 with the reason on `err` for bad arguments. */
export async function backtestCommand(options: BacktestOptions, deps: BacktestDeps = {}): Promise<number> {
  const { out = process.stdout, err = process.stderr } = deps;
  const config = deps.config ?? loadConfig();
  const db = await openDatabase(config, createLogger('warn'));
  try {
    const app = await buildApp({ db, logger: false });
    try {
      const res = await app.inject({ url: `/v1/backtest?${backtestQuery(options)}` });
      if (res.statusCode === 200) {
        out.write(formatBacktestSummary(res.json()));
        return 0;
      }
      const message = (res.json() as { error?: { message?: string } }).error?.message ?? res.body;
      err.write(`smart-mining backtest: ${toOptionNames(message)}\n`);
      return 1;
    } finally {
      await app.close();
    }
  } finally {
    await db.close();
  }
}

/** A bare date means its midnight UTC (the API wants a date-time). */
function toDateTime(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
}

export function backtestQuery(options: BacktestOptions): string {
  const params = new URLSearchParams();
  const set = (name: string, value: string | undefined) => value !== undefined && params.set(name, value);
  set('profile', options.profile);
  set('algorithms', options.algorithms);
  set('hashrateHs', options.hashrate);
  set('hardware', options.hardware);
  set('from', toDateTime(options.from));
  set('to', toDateTime(options.to));
  set('stepS', options.step);
  return params.toString();
}

const OPTION_OF: Record<string, string> = { stepS: 'step', hashrateHs: 'hashrate' };

/**
 * The API names query parameters (`querystring/stepS`, and "before to" for the other end of the range); here they
 * are options (`--step`, `--to`).
 */
export function toOptionNames(message: string): string {
  return message
    .replace(/querystring\/(\w+)/g, (_m, name: string) => `--${OPTION_OF[name] ?? name}`)
    .replace(/\bbefore (from|to)\b/g, 'before --$1');
}

const MAX_TIMELINE_LINES = 40;

/** 12.3456 → "12.35", 0.53541 → "0.5354", 2.5e-7 → "2.50e-7": readable for an ASIC and for 1 H/s. */
export function formatUsdAmount(usd: number): string {
  const abs = Math.abs(usd);
  if (abs === 0) return '0';
  if (abs >= 1) return usd.toFixed(2);
  if (abs >= 1e-4) return usd.toFixed(4);
  return usd.toExponential(2);
}

const shortTime = (iso: string) => iso.replace(/\.000Z$/, 'Z');

function bestFixedLine(report: BacktestReportJson): string {
  const best = report.bestFixed;
  if (!best) return 'none (no target was ever eligible)';
  const head = `${best.target}, ${formatUsdAmount(best.usdEarned)} USD`;
  const f = report.vsBestFixedFraction;
  if (f === null) return head;
  if (f === 0) return `${head}; the profile earned as much`;
  return `${head}; the profile earned ${(Math.abs(f) * 100).toFixed(1)} % ${f > 0 ? 'more' : 'less'}`;
}

/** One line per change of target (the first step included); idle steps show as "idle". */
function timelineLines(report: BacktestReportJson): string[] {
  const changes = report.timeline.filter((e, i) => i === 0 || e.target !== report.timeline[i - 1]!.target);
  const lines = changes.slice(0, MAX_TIMELINE_LINES).map((e) => {
    const what =
      e.target === null
        ? 'idle (nothing eligible)'
        : `${e.target}  ${formatUsdAmount(e.valueUsdPerDay)} USD/day`;
    return `  ${shortTime(e.at)}  ${what}`;
  });
  if (changes.length > MAX_TIMELINE_LINES)
    lines.push(`  … ${changes.length - MAX_TIMELINE_LINES} more changes`);
  return lines;
}

export function formatBacktestSummary(report: BacktestReportJson): string {
  return [
    `backtest of ${report.profile}: ${shortTime(report.from)} → ${shortTime(report.to)}, ` +
      `${report.snapshots} steps of ${report.stepS} s`,
    `earned      ${formatUsdAmount(report.usdEarned)} USD`,
    `switches    ${report.switches}`,
    `best fixed  ${bestFixedLine(report)}`,
    'target changes:',
    ...timelineLines(report),
    '',
  ].join('\n');
}
