// `smart-mining aggregate`: one cycle with a summary table (--once), or the aggregator alone, forever.

import type { CycleReport } from '@smart-mining/aggregator';
import { createLogger, loadConfig, onShutdown } from '@smart-mining/platform';
import { buildAggregator, type ComposeDeps, openDatabase } from '../compose.ts';

export interface AggregateOptions {
  once?: boolean;
}

/** Returns the exit code: non-zero only when every source that ran failed. */
export async function aggregateCommand(
  options: AggregateOptions,
  deps: ComposeDeps = {},
  out = process.stdout,
): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(options.once ? 'warn' : config.log.level);
  const db = await openDatabase(config, logger);
  const aggregator = buildAggregator(config, db, logger, deps);
  if (!options.once) {
    aggregator.start();
    onShutdown(logger, [() => db.close(), () => aggregator.stop()]);
    return new Promise<number>(() => {});
  }
  try {
    const report = await aggregator.runOnce();
    out.write(formatReport(report));
    return exitCodeFor(report);
  } finally {
    await aggregator.stop();
    await db.close();
  }
}

/** Non-zero only when sources ran and every one of them failed (skipped sources do not count). */
export function exitCodeFor(report: CycleReport): number {
  return report.runs.length > 0 && report.runs.every((r) => !r.ok) ? 1 : 0;
}

export function formatReport(report: CycleReport): string {
  const rows: string[][] = [['source', 'ok', 'rows', 'duration', 'note']];
  for (const r of report.runs) {
    rows.push([
      r.source,
      r.ok ? 'yes' : 'NO',
      String(r.rows),
      `${Math.round(r.durationMs)} ms`,
      (r.error ?? '').slice(0, 100),
    ]);
  }
  for (const s of report.skipped) rows.push([s.source, 'skip', '0', '-', s.reason]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const i = report.ingest;
  if (i) {
    lines.push(
      '',
      `written: ${i.coins} coins (${i.coinHistory} history), ${i.pools} pools (${i.poolHistory} history), ` +
        `${i.hardware} devices, ${i.hardwareMining} hardware×algorithm; compute ${i.computeMs.toFixed(1)} ms, write ${i.writeMs.toFixed(1)} ms`,
    );
  }
  return `${lines.join('\n')}\n`;
}
