import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consensus, type Quote, type QuoteRules } from './consensus.ts';

const now = new Date('2024-02-16T16:40:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000);
const q = (source: Quote['source'], value: number, extra: Partial<Quote> = {}): Quote => ({
  source,
  value,
  observedAt: ago(60),
  ...extra,
});
const rules: QuoteRules = { now, maxAgeS: 900, maxLagS: 600, maxDeviationFraction: 0.05 };

describe('consensus', () => {
  it('takes the median of agreeing quotes and keeps every quote as provenance', () => {
    const c = consensus([q('binance', 27.63), q('coingecko', 27.61), q('minerstat', 27.6)], rules)!;
    assert.equal(c.value, 27.61);
    assert.equal(c.trusted, true);
    assert.deepEqual(c.from, { binance: 27.63, coingecko: 27.61, minerstat: 27.6 });
    assert.deepEqual(c.rejected, {});
  });

  it('counts one quote per source: a source repeating a coin with other values votes once, with its first', () => {
    const repeats = [35, 35, 35].map((v) => q('minerstat', v));
    const c = consensus(
      [q('binance', 27.6), q('minerstat', 27.61), ...repeats, q('coingecko', 27.62)],
      rules,
    )!;
    assert.equal(c.value, 27.61);
    assert.equal(c.trusted, true);
    assert.deepEqual(c.from, { binance: 27.6, minerstat: 27.61, coingecko: 27.62 });
    assert.deepEqual(c.rejected, {});
  });

  it('leaves out a quote that disagrees with the others beyond the threshold', () => {
    const c = consensus([q('binance', 27.6), q('coingecko', 27.61), q('whattomine', 35)], rules)!;
    assert.equal(c.trusted, true);
    assert.equal(c.value, 27.605);
    assert.deepEqual(c.rejected, { whattomine: 'disagrees' });
  });

  it('accepts a quote exactly at the deviation limit and refuses one just beyond it', () => {
    const at = consensus([q('binance', 100), q('coingecko', 100), q('minerstat', 105)], rules)!;
    assert.deepEqual(at.rejected, {});
    assert.equal(at.value, 100);
    const beyond = consensus([q('binance', 100), q('coingecko', 100), q('minerstat', 105.01)], rules)!;
    assert.deepEqual(beyond.rejected, { minerstat: 'disagrees' });
    // Twice the limit is far outside it.
    const twice = consensus([q('binance', 100), q('coingecko', 100), q('minerstat', 109.9)], rules)!;
    assert.deepEqual(twice.rejected, { minerstat: 'disagrees' });
  });

  it('trusts only a strict majority: one agreeing quote of three is a contest', () => {
    const c = consensus([q('binance', 10), q('coingecko', 20), q('minerstat', 30)], rules)!;
    assert.equal(c.trusted, false);
  });

  it('settles two contradicting quotes by the freshest, never by their mean, and does not trust it', () => {
    const c = consensus(
      [q('binance', 20, { observedAt: ago(30) }), q('coingecko', 30, { observedAt: ago(90) })],
      rules,
    )!;
    assert.equal(c.trusted, false);
    assert.equal(c.value, 20);
    assert.deepEqual(c.rejected, { coingecko: 'disagrees' });
  });

  it('settles a contest by the arbiter’s evidence, trusted when the evidence confirms it', () => {
    const quotes = [q('hashrateno', 100), q('whattomine', 175)];
    const c = consensus(quotes, rules, (contestants) => ({ quote: contestants[1]!, confirmed: true }))!;
    assert.equal(c.value, 175);
    assert.equal(c.trusted, true);
    assert.deepEqual(c.rejected, { hashrateno: 'disagrees' });
  });

  it('never uses a quote older than its limit, and says so', () => {
    const c = consensus([q('coingecko', 12), q('hashrateno', 99, { observedAt: ago(901) })], rules)!;
    assert.equal(c.value, 12);
    assert.deepEqual(c.rejected, { hashrateno: 'stale' });
    const none = consensus([q('hashrateno', 99, { observedAt: ago(3600) })], rules)!;
    assert.equal(none.value, undefined);
    assert.deepEqual(none.rejected, { hashrateno: 'stale' });
    assert.deepEqual(none.from, { hashrateno: 99 });
  });

  it('never lets a quote older than the freshest by more than a cycle vote', () => {
    const rules2 = { ...rules, maxAgeS: 1800 };
    const c = consensus(
      [q('hashrateno', 100, { observedAt: ago(1200) }), q('whattomine', 175, { observedAt: ago(60) })],
      rules2,
    )!;
    assert.equal(c.value, 175);
    assert.equal(c.trusted, true);
    assert.deepEqual(c.rejected, { hashrateno: 'superseded' });
    assert.equal(c.observedAt?.getTime(), ago(60).getTime());
  });

  it('does not trust lagging quotes and prefers fresh ones', () => {
    assert.equal(consensus([q('whattomine', 10, { lagging: true })], rules)!.trusted, false);
    const c = consensus([q('whattomine', 10, { lagging: true }), q('coingecko', 12)], rules)!;
    assert.equal(c.value, 12);
    assert.equal(c.trusted, true);
    assert.deepEqual(c.rejected, { whattomine: 'lagging' });
  });

  it('judges each price quote by its own market’s volume', () => {
    const thin = { ...rules, minVolume24hUsd: 10_000 };
    const c = consensus(
      [q('binance', 22.64, { volume24hUsd: 0 }), q('coingecko', 22.63, { volume24hUsd: 7.7e6 })],
      thin,
    )!;
    assert.equal(c.value, 22.63);
    assert.equal(c.trusted, true);
    assert.deepEqual(c.rejected, { binance: 'thin-volume' });
    const only = consensus([q('binance', 22.64, { volume24hUsd: 0 })], thin)!;
    assert.equal(only.value, 22.64);
    assert.equal(only.trusted, false);
  });

  it('ignores zero, negative and non-finite values', () => {
    assert.equal(
      consensus([q('binance', 0), q('coingecko', -1), q('minerstat', Number.NaN)], rules),
      undefined,
    );
  });
});
