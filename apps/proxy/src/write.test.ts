import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { writeCoalesced } from './write.ts';

/** A stream that records each write it receives (one entry per system call a socket would make). */
function recorder(onWrite?: (chunk: string) => void): Writable & { chunks: string[] } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      onWrite?.(chunk.toString());
      callback();
    },
  });
  return Object.assign(w, { chunks });
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('writeCoalesced', () => {
  it('sends the lines of one turn to a stream in one write, in order, per stream', async () => {
    const a = recorder();
    const b = recorder();
    writeCoalesced(a, 'a1\n', 1024);
    writeCoalesced(b, 'b1\n', 1024);
    writeCoalesced(a, 'a2\n', 1024);
    assert.deepEqual(a.chunks, [], 'nothing leaves before the turn ends');
    await turn();
    assert.deepEqual(a.chunks, ['a1\na2\n']);
    assert.deepEqual(b.chunks, ['b1\n']);
    writeCoalesced(a, 'a3\n', 1024);
    await turn();
    assert.deepEqual(a.chunks, ['a1\na2\n', 'a3\n']);
  });

  it('a line queued while the turn’s lines are written goes out in the next turn', async () => {
    let answered = false;
    const a = recorder(() => {
      if (answered) return;
      answered = true;
      writeCoalesced(a, 'reply\n', 1024);
    });
    writeCoalesced(a, 'first\n', 1024);
    await turn();
    await turn();
    assert.deepEqual(a.chunks, ['first\n', 'reply\n']);
  });

  it('destroys a stream whose queue passes the bound, and writes nothing more to it', async () => {
    const a = recorder();
    assert.equal(writeCoalesced(a, 'x'.repeat(600), 1000), true);
    assert.equal(writeCoalesced(a, 'y'.repeat(600), 1000), false);
    assert.equal(a.destroyed, true);
    assert.equal(writeCoalesced(a, 'z\n', 1000), false);
    await turn();
    assert.deepEqual(a.chunks, []);
  });
});
