// Runs one collector and turns whatever happens into a source_runs row (failures are contained here).

import type { SourceRun } from '@smart-mining/db';
import type { SourceSnapshot } from '@smart-mining/domain';
import type { Collector } from './collectors/collector.ts';
import { dataTimesUpTo, type StalenessLimits, staleDataWarnings } from './data-age.ts';
import { SourceError } from './errors.ts';

export interface SourceOutcome {
  run: SourceRun;
  snapshot?: SourceSnapshot;
  warnings: string[];
}

const MAX_ERROR_CHARS = 2000;

/**
 * The run's message as stored: at most MAX_ERROR_CHARS, control characters shown as U+FFFD (a source's text quoted
 * in a warning may hold a NUL, which PostgreSQL text refuses: the cycle's whole write would fail).
 */
function storedMessage(text: string): string {
  return text.replace(/\p{Cc}/gu, '\uFFFD').slice(0, MAX_ERROR_CHARS);
}

/**
 * A run is ok when it brought at least one row; its warnings (rows skipped, and data already too old to use) are
 * stored with it.
 */
export async function runSource(
  collector: Collector,
  now: () => Date,
  limits: StalenessLimits,
): Promise<SourceOutcome> {
  const startedAt = now();
  const t0 = performance.now();
  try {
    const result = await collector.collect();
    const rows = result.coins.length + result.pools.length + result.hardware.length;
    if (rows === 0) {
      const why = result.warnings.length > 0 ? `: ${result.warnings.join('; ')}` : '';
      throw new SourceError('SM_SOURCE_EMPTY', `${collector.source}: no usable row in the answer${why}`);
    }
    const finishedAt = now();
    const warnings = [...result.warnings];
    const snapshot = dataTimesUpTo(result, finishedAt, warnings);
    warnings.push(...staleDataWarnings(snapshot, finishedAt, limits));
    const warning = warnings.length > 0 ? storedMessage(warnings.join('; ')) : undefined;
    return {
      run: {
        source: collector.source,
        startedAt,
        finishedAt,
        ok: true,
        rows,
        durationMs: performance.now() - t0,
        ...(warning ? { error: warning } : {}),
      },
      snapshot,
      warnings,
    };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = `${code ? `${code}: ` : ''}${(error as Error).message ?? String(error)}`;
    return {
      run: {
        source: collector.source,
        startedAt,
        finishedAt: now(),
        ok: false,
        rows: 0,
        durationMs: performance.now() - t0,
        error: storedMessage(message),
      },
      warnings: [],
    };
  }
}
