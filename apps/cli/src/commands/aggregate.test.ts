// Tests for `smart-mining aggregate --once`: a row per source as it finishes, progress for slow ones, each failure
// said once with its cause, and the offline hint.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CycleReport } from '@smart-mining/aggregator';
import type { SourceRun } from '@smart-mining/db';
import {
  closedPort,
  type ReplayBaseUrls,
  type ReplayServer,
  startReplayServer,
  waitFor,
} from '@smart-mining/testkit';
import { OFFLINE_HINT } from '../offline-hint.ts';
import { replayTestConfig, textSink } from '../test-support.ts';
import { aggregateCommand, exitCodeFor, noteOf, runRow, tableHeader } from './aggregate.ts';

const at = new Date('2024-02-16T16:40:00Z');
const run = (source: string, ok: boolean, error?: string): SourceRun => ({
  source,
  startedAt: at,
  finishedAt: at,
  ok,
  rows: ok ? 8 : 0,
  durationMs: 12.4,
  ...(error ? { error } : {}),
});

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('aggregate --once report', () => {
  it('exits non-zero only when every source that ran failed', () => {
    const skipped = [{ source: 'minerstat' as const, reason: 'no MINERSTAT_API_KEY set; Minerstat skipped' }];
    const report = (runs: SourceRun[]): CycleReport => ({ runs, skipped });
    assert.equal(exitCodeFor(report([run('binance', false, 'x'), run('coingecko', true)])), 0);
    assert.equal(exitCodeFor(report([run('binance', false, 'x'), run('coingecko', false, 'y')])), 1);
    assert.equal(exitCodeFor(report([])), 0);
  });

  it('prints rows in fixed columns, the cause in the note, cut to one line', () => {
    assert.match(
      tableHeader(),
      /^source {6}ok {4}rows {3}duration {3}note\n-{10} {2}-{4} {2}-{5} {2}-{9} {2}----$/,
    );
    assert.equal(runRow(run('binance', true)), 'binance     yes   8      12 ms');
    const cause = 'SM_SOURCE_NETWORK: cannot reach api.coingecko.com: host not found (ENOTFOUND)';
    assert.equal(runRow(run('coingecko', false, cause)), `coingecko   NO    0      12 ms      ${cause}`);
    const long = run('nanopool', true, `nanopool XMR: blockTimeS left out: ${'x'.repeat(300)}`);
    assert.equal(noteOf(long).length, 160);
    assert.ok(noteOf(long).endsWith('…'));
  });
});

describe('aggregate --once on the replay server', () => {
  let server: ReplayServer;
  before(async () => {
    server = await startReplayServer();
  });
  after(() => server.close());

  it('prints a row per source as it finishes, names the slow ones meanwhile, and each failure once', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // WhatToMine answers only when the test lets it: the other rows must be out before.
    const gatedFetch: typeof fetch = async (input, init) => {
      if (String(input).includes('/whattomine/')) await gate;
      return fetch(input, init);
    };
    server.inject('binance', { kind: 'status', status: 500 });
    const out = textSink();
    const err = textSink();
    const config = replayTestConfig(server.baseUrls, {}, { timeoutMs: 60_000 });
    const done = aggregateCommand(
      { once: true },
      { config, out, err, fetch: gatedFetch, progressEveryMs: 20 },
    );
    try {
      await waitFor(
        () => out.text.split('\n').length >= 9,
        `six rows before WhatToMine answers:\n${out.text}`,
      );
      await waitFor(() => err.text.includes('waiting for whattomine ('), 'a progress line');
      assert.doesNotMatch(out.text, /^whattomine/m);
    } finally {
      release();
      server.clearFaults();
    }
    assert.equal(await done, 0);
    const lines = out.text.split('\n');
    assert.match(lines[0]!, /^source\s+ok\s+rows\s+duration\s+note$/);
    assert.deepEqual(
      lines
        .slice(2, 9)
        .map((l) => l.split(' ')[0])
        .sort(),
      ['2miners', 'binance', 'coingecko', 'hashrateno', 'minerstat', 'nanopool', 'whattomine'],
    );
    assert.equal(lines[8]!.split(' ')[0], 'whattomine');
    const binance = lines.find((l) => l.startsWith('binance'))!;
    assert.match(
      binance,
      /^binance\s+NO\s+0\s+\d+ ms\s+SM_SOURCE_HTTP: GET 127\.0\.0\.1:\d+\/binance\/api\/v3\/ticker\/24hr: HTTP 500/,
    );
    assert.equal(occurrences(out.text + err.text, 'HTTP 500'), 1);
    assert.match(out.text, /\nwritten: \d+ coins/);
    assert.ok(!err.text.includes(OFFLINE_HINT));
  });

  it('says once, after the rows, to try the replay server when no source can be reached', async () => {
    const port = await closedPort();
    // The replay server's paths on a port where nothing listens.
    const urls = Object.fromEntries(
      Object.entries(server.baseUrls).map(([k, v]) => [
        k,
        v.replace(server.origin, `http://127.0.0.1:${port}`),
      ]),
    ) as unknown as ReplayBaseUrls;
    const out = textSink();
    const err = textSink();
    const config = replayTestConfig(urls);
    assert.equal(await aggregateCommand({ once: true }, { config, out, err }), 1);
    const rows = out.text
      .split('\n')
      .slice(2)
      .filter((l) => / NO /.test(l));
    assert.equal(rows.length, 7);
    for (const row of rows) {
      assert.match(
        row,
        new RegExp(`cannot reach 127\\.0\\.0\\.1:${port}: connection refused \\(ECONNREFUSED\\)`),
      );
    }
    assert.equal(err.text, `${OFFLINE_HINT}\n`);
  });
});
