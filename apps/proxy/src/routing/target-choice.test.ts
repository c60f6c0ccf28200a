import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { localTarget } from '../../test/memory-ports.ts';
import type { ProxyDecision, Target } from '../ports.ts';
import { type ChoiceInput, chooseTarget, standbyTarget } from './target-choice.ts';

const A = localTarget('a:BTC', 1);
const B = localTarget('b:BTC', 2);
const C = localTarget('c:BCH', 3, { coin: 'BCH' });
const F = localTarget('fb:BTC', 4);
const decision = (chosen: Target | null, ranked: Target[]): ProxyDecision => ({
  chosen,
  ranked,
  reason: 'ranked',
});

function input(over: Partial<ChoiceInput>): ChoiceInput {
  return {
    decision: null,
    decisionFailed: false,
    fallback: F,
    current: null,
    currentTrigger: null,
    usable: () => true,
    isDown: () => false,
    ...over,
  };
}

describe('chooseTarget', () => {
  it('takes the decision’s choice', () => {
    assert.deepEqual(chooseTarget(input({ decision: decision(A, [A, B]) })), {
      target: A,
      trigger: 'decision',
      reason: 'ranked',
    });
  });

  it('waits for the first answer, then uses the fallback pool when the source failed', () => {
    assert.equal(chooseTarget(input({})), null);
    assert.equal(chooseTarget(input({ decisionFailed: true }))?.target, F);
    assert.equal(chooseTarget(input({ decisionFailed: true }))?.trigger, 'fallback');
    assert.equal(chooseTarget(input({ decisionFailed: true, fallback: undefined })), null);
  });

  it('keeps the current target while the source fails (fail-static)', () => {
    assert.equal(chooseTarget(input({ decisionFailed: true, current: A })), null);
  });

  it('choice down: the next ranked target that is up (failover); choice back up: recovery', () => {
    const d = decision(A, [A, B, C]);
    const down = new Set(['a:BTC']);
    const failover = chooseTarget(input({ decision: d, current: A, isDown: (k) => down.has(k) }));
    assert.equal(failover?.target, B);
    assert.equal(failover?.trigger, 'failover');
    assert.match(failover!.reason, /a:BTC is down/);
    down.add('b:BTC');
    assert.equal(chooseTarget(input({ decision: d, current: A, isDown: (k) => down.has(k) }))?.target, C);
    const recovery = chooseTarget(input({ decision: d, current: B, currentTrigger: 'failover' }));
    assert.equal(recovery?.trigger, 'recovery');
    assert.equal(recovery?.target, A);
  });

  it('skips targets this listener or account cannot use (no wallet, other algorithm, no endpoint)', () => {
    const r = chooseTarget(input({ decision: decision(C, [C, B]), usable: (t) => t.coin === 'BTC' }));
    assert.equal(r?.target, B);
    assert.equal(r?.trigger, 'decision');
    assert.match(r!.reason, /c:BCH cannot be mined here/);
  });

  it('everything down: keeps the current target if it is up, else the fallback', () => {
    const d = decision(A, [A, B]);
    assert.equal(
      chooseTarget(input({ decision: d, current: C, isDown: (k) => k !== 'c:BCH' && k !== 'fb:BTC' })),
      null,
    );
    const r = chooseTarget(input({ decision: d, current: A, isDown: (k) => k !== 'fb:BTC' }));
    assert.equal(r?.target, F);
    assert.equal(r?.trigger, 'failover');
  });

  it('a fallback pool whose coin the account has no wallet for is never chosen (it would mine for nobody)', () => {
    const noFallbackWallet = (t: Target) => t.poolKey !== 'fb:BTC';
    assert.equal(chooseTarget(input({ decisionFailed: true, usable: noFallbackWallet })), null);
    const d = decision(A, [A, B]);
    const allDown = {
      decision: d,
      current: A,
      usable: noFallbackWallet,
      isDown: (k: string) => k !== 'fb:BTC',
    };
    assert.equal(chooseTarget(input(allDown)), null);
    assert.equal(chooseTarget(input({ decision: decision(null, []), usable: noFallbackWallet })), null);
  });

  it('no choice (nothing qualifies): keeps the current target; without one, the best ranked', () => {
    assert.equal(chooseTarget(input({ decision: decision(null, [B]), current: A })), null);
    assert.equal(chooseTarget(input({ decision: decision(null, [B]) }))?.target, B);
    assert.equal(chooseTarget(input({ decision: decision(null, []) }))?.target, F);
  });
});

describe('standbyTarget', () => {
  const base = { current: A, usable: () => true, isDown: () => false };

  it('is the best ranked target other than the current one', () => {
    assert.equal(standbyTarget({ ...base, decision: decision(A, [A, B, C]) }), B);
    assert.equal(standbyTarget({ ...base, decision: decision(B, [B, A, C]) }), B);
  });

  it('skips targets that are down or cannot be mined here', () => {
    const d = decision(A, [A, B, C]);
    assert.equal(standbyTarget({ ...base, decision: d, isDown: (k) => k === B.poolKey }), C);
    assert.equal(standbyTarget({ ...base, decision: d, usable: (t) => t.coin === 'BTC' && t !== B }), null);
  });

  it('is none without a decision or another target', () => {
    assert.equal(standbyTarget({ ...base, decision: null }), null);
    assert.equal(standbyTarget({ ...base, decision: decision(A, [A]) }), null);
    assert.equal(standbyTarget({ ...base, current: null, decision: decision(null, [B]) }), B);
  });
});
