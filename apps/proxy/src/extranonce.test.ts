import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LaneAllocator, parseSessionId, sessionIdFor } from './extranonce.ts';

describe('LaneAllocator', () => {
  it('shared: 2^(8k) unique slots per lane, then a new lane; lowest lane with room first', () => {
    const lanes = new LaneAllocator(1, 'shared');
    const taken = Array.from({ length: 256 }, () => lanes.allocate());
    assert.ok(taken.every((t) => t.lane === 0));
    assert.equal(new Set(taken.map((t) => t.slot)).size, 256);
    assert.deepEqual(lanes.allocate(), { lane: 1, slot: 0 });
    lanes.release({ lane: 0, slot: 7 });
    assert.deepEqual(lanes.allocate(), { lane: 0, slot: 7 });
    assert.deepEqual(lanes.laneUsage(), [
      { lane: 0, used: 256 },
      { lane: 1, used: 1 },
    ]);
  });

  it('does not hand a just-freed slot to the next miner while others are free (the cursor goes round)', () => {
    const lanes = new LaneAllocator(1, 'shared');
    const a = lanes.allocate();
    lanes.allocate();
    lanes.release(a);
    assert.deepEqual(lanes.allocate(), { lane: 0, slot: 2 });
  });

  it('grants a wanted (resumed) slot when it is free, else any other', () => {
    const lanes = new LaneAllocator(2, 'shared');
    assert.deepEqual(lanes.allocate({ lane: 0, slot: 300 }), { lane: 0, slot: 0 }); // lane 0 does not exist yet
    assert.deepEqual(lanes.allocate({ lane: 0, slot: 300 }), { lane: 0, slot: 300 });
    assert.notDeepEqual(lanes.allocate({ lane: 0, slot: 300 }), { lane: 0, slot: 300 });
    assert.equal(lanes.slotHex(300), '012c');
  });

  it('per-miner: a lane of one for every miner', () => {
    const lanes = new LaneAllocator(1, 'per-miner');
    assert.deepEqual(
      [lanes.allocate(), lanes.allocate()],
      [
        { lane: 0, slot: 0 },
        { lane: 1, slot: 0 },
      ],
    );
  });
});

describe('session ids', () => {
  it('carry lane, slot and extranonce2_size; anything else is not a resume', () => {
    const id = sessionIdFor(3, 258, 2);
    assert.equal(id, '000000030000010202');
    assert.deepEqual(parseSessionId(id), { lane: 3, slot: 258, extranonce2Size: 2 });
    for (const bad of [undefined, '', 'xyz', `${id}0`, id.toUpperCase().replace('0', 'G')]) {
      assert.equal(parseSessionId(bad), undefined);
    }
  });
});
