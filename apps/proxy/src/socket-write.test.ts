// Direct writes to a socket's handle on real sockets: every byte arrives in order, mixed with the stream's own
// writes, through writes that have to wait; a peer that does not read is bounded; other streams use their path.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, connect as netConnect, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { waitFor } from '@smart-mining/testkit';
import { queuedBytes, writeNow } from './socket-write.ts';
import { writeBounded } from './write.ts';

/** A connected pair on 127.0.0.1: the accepted end (written to) and the client end (read from). */
async function socketPair(): Promise<{ ours: Socket; theirs: Socket; close: () => void }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection');
  const theirs = netConnect({ host: '127.0.0.1', port: (server.address() as { port: number }).port });
  const [ours] = (await accepted) as [Socket];
  await once(theirs, 'connect');
  return {
    ours,
    theirs,
    close: () => {
      ours.destroy();
      theirs.destroy();
      server.close();
    },
  };
}

describe('writeNow', () => {
  it('delivers every line in order, mixed with stream writes, through writes that have to wait', async () => {
    const { ours, theirs, close } = await socketPair();
    try {
      let received = '';
      theirs.pause(); // the kernel's buffers fill first: later writes wait in libuv
      theirs.setEncoding('utf8');
      theirs.on('data', (chunk: string) => {
        received += chunk;
      });
      const lines: string[] = [];
      for (let i = 0; i < 20_000; i++) {
        const line = `{"id":${i},"result":true,"error":null,"pad":"${'x'.repeat(i % 1997)}"}\n`;
        lines.push(line);
        // The stream's own path now and then, in the second half.
        if (i >= 10_000 && i % 1000 === 500) ours.write(line);
        else writeNow(ours, i % 2 === 0 ? line : Buffer.from(line));
        if (i === 9_999) {
          assert.ok(queuedBytes(ours) > 0, 'some writes had to wait for the reader');
          assert.equal(
            ours.writableLength,
            0,
            "they wait in libuv's queue, not the stream's: written directly",
          );
        }
      }
      theirs.resume();
      const expected = lines.join('');
      await waitFor(() => received.length >= expected.length, { what: 'every byte' });
      assert.equal(received, expected);
    } finally {
      close();
    }
  });

  it('a peer that does not read: past the bound the socket is dropped', async () => {
    const { ours, theirs, close } = await socketPair();
    try {
      theirs.pause();
      const line = `${'y'.repeat(1000)}\n`;
      let written = 0;
      while (writeBounded(ours, line, 64 * 1024)) {
        written++;
        assert.ok(written < 100_000, 'bounded');
      }
      assert.equal(ours.destroyed, true);
      assert.equal(writeBounded(ours, line, 64 * 1024), false, 'nothing more is written');
    } finally {
      close();
    }
  });

  it('a stream that is no socket takes its own path', async () => {
    const stream = new PassThrough();
    writeNow(stream, 'a\n');
    writeNow(stream, Buffer.from('b\n'));
    assert.equal(stream.read().toString(), 'a\nb\n');
  });
});
