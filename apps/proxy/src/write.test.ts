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
  it('sends the first line of a turn at once and the rest of that turn in one write after it, per stream', async () => {
    const a = recorder();
    const b = recorder();
    // Times (ms) passed in: the turn is past its first 0.1 ms when a2 comes.
    writeCoalesced(a, 'a1\n', 1024, 0);
    writeCoalesced(b, 'b1\n', 1024, 0.2);
    writeCoalesced(a, 'a2\n', 1024, 0.3);
    writeCoalesced(a, 'a3\n', 1024, 0.4);
    assert.deepEqual(a.chunks, ['a1\n'], 'the first line leaves at once, the others wait for the turn’s end');
    assert.deepEqual(b.chunks, ['b1\n']);
    await turn();
    assert.deepEqual(a.chunks, ['a1\n', 'a2\na3\n']);
    assert.deepEqual(b.chunks, ['b1\n'], 'nothing more for a stream with one line');
    writeCoalesced(a, 'a4\n', 1024, 10);
    assert.deepEqual(a.chunks, ['a1\n', 'a2\na3\n', 'a4\n'], 'a new turn: the first line at once again');
  });

  it('early in a turn (its first 0.1 ms) lines leave at once; once one is held, the later ones queue behind it', async () => {
    await turn(); // a turn of its own, not the last test's
    const a = recorder();
    writeCoalesced(a, 'a1\n', 1024, 100);
    writeCoalesced(a, 'a2\n', 1024, 100.05);
    assert.deepEqual(a.chunks, ['a1\n', 'a2\n'], 'a short turn holds nothing');
    writeCoalesced(a, 'a3\n', 1024, 100.2);
    writeCoalesced(a, 'a4\n', 1024, 100.3);
    assert.deepEqual(a.chunks, ['a1\n', 'a2\n']);
    await turn();
    assert.deepEqual(a.chunks, ['a1\n', 'a2\n', 'a3\na4\n']);
  });

  it('a line written while the held lines go out leaves in the next turn, in order', async () => {
    let answered = false;
    const a = recorder((chunk) => {
      if (answered || !chunk.startsWith('second')) return;
      answered = true;
      writeCoalesced(a, 'reply\n', 1024);
    });
    writeCoalesced(a, 'first\n', 1024, 0);
    writeCoalesced(a, 'second\n', 1024, 1);
    await turn();
    await turn();
    assert.deepEqual(a.chunks, ['first\n', 'second\n', 'reply\n']);
  });

  it('destroys a stream whose held lines pass the bound, and writes nothing more to it', async () => {
    const a = recorder();
    assert.equal(writeCoalesced(a, 'x'.repeat(600), 500, 0), true, 'written at once: nothing queues');
    assert.equal(writeCoalesced(a, 'y'.repeat(300), 500, 1), true);
    assert.equal(writeCoalesced(a, 'z'.repeat(300), 500, 2), false, '600 bytes held');
    assert.equal(a.destroyed, true);
    assert.equal(writeCoalesced(a, 'w\n', 500, 3), false);
    await turn();
    assert.equal(a.chunks.join('').includes('y'), false, 'held lines of a destroyed stream are not written');
  });
});
