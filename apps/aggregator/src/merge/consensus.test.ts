import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consensus, type Quote } from './consensus.ts';

const at = new Date('2024-02-16T16:36:12Z');
const q = (source: Quote['source'], value: number, lagging = false): Quote => ({
  source,
  value,
  observedAt: at,
  lagging,
});

describe('consensus', () => {
  it('takes the median of agreeing quotes and keeps every quote as provenance', () => {
    const c = consensus([q('binance', 27.63), q('coingecko', 27.61), q('minerstat', 27.6)], 0.05)!;
    assert.equal(c.value, 27.61);
    assert.equal(c.trusted, true);
    assert.deepEqual(c.from, { binance: 27.63, coingecko: 27.61, minerstat: 27.6 });
    assert.deepEqual(c.rejected, {});
  });

  it('leaves out a quote that disagrees with the others beyond the threshold', () => {
    const c = consensus([q('binance', 27.6), q('coingecko', 27.61), q('whattomine', 35)], 0.05)!;
    assert.equal(c.trusted, true);
    assert.equal(c.value, 27.605);
    assert.deepEqual(c.rejected, { whattomine: 'disagrees' });
  });

  it('does not trust two quotes that contradict each other', () => {
    const c = consensus([q('binance', 20), q('coingecko', 30)], 0.05)!;
    assert.equal(c.trusted, false);
    assert.equal(c.value, 25);
  });

  it('does not trust lagging quotes and prefers fresh ones', () => {
    assert.equal(consensus([q('whattomine', 10, true)], 0.05)!.trusted, false);
    const c = consensus([q('whattomine', 10, true), q('coingecko', 12)], 0.05)!;
    assert.equal(c.value, 12);
    assert.equal(c.trusted, true);
    assert.deepEqual(c.rejected, { whattomine: 'lagging' });
  });

  it('ignores zero, negative and non-finite values', () => {
    assert.equal(
      consensus([q('binance', 0), q('coingecko', -1), q('minerstat', Number.NaN)], 0.05),
      undefined,
    );
  });
});
