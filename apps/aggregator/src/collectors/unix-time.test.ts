import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromUnixMilliseconds, fromUnixSeconds } from './unix-time.ts';

const snapshot = new Date('2024-02-16T16:36:12Z');
const seconds = snapshot.getTime() / 1000;

describe('unix times in either unit', () => {
  it('reads a documented-seconds time, and one sent in milliseconds, as the same moment', () => {
    assert.deepEqual(fromUnixSeconds(seconds), snapshot);
    assert.deepEqual(fromUnixSeconds(snapshot.getTime()), snapshot);
  });

  it('reads a documented-milliseconds time, and one sent in seconds, as the same moment', () => {
    assert.deepEqual(fromUnixMilliseconds(snapshot.getTime()), snapshot);
    assert.deepEqual(fromUnixMilliseconds(seconds), snapshot);
  });

  it('has no time for 0, a negative or an absent value', () => {
    for (const value of [0, -5, undefined]) {
      assert.equal(fromUnixSeconds(value), undefined);
      assert.equal(fromUnixMilliseconds(value), undefined);
    }
  });
});
