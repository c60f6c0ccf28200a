import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { waitFor } from '@smart-mining/testkit';
import { readIntoSharedBuffer } from './read.ts';

const servers: Server[] = [];
after(() => {
  for (const s of servers) s.close();
});

/** A listening server whose accepted sockets go to `onSocket`, and a connected client. */
async function pair(onSocket: (s: Socket) => void): Promise<Socket> {
  const server = createServer(onSocket);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = connect((server.address() as { port: number }).port, '127.0.0.1');
  await once(client, 'connect');
  return client;
}

describe('reads into the shared buffer', () => {
  it('an accepted socket delivers its bytes to the callback, not to data listeners', async () => {
    const received: string[] = [];
    let switched = false;
    let closed = false;
    let dataEvents = 0;
    const client = await pair((s) => {
      switched = readIntoSharedBuffer(s, (bytes, buffer) => {
        received.push(buffer.toString('utf8', 0, bytes));
      });
      s.on('data', () => dataEvents++);
      s.on('close', () => {
        closed = true;
      });
    });
    client.write('{"id":1}\n{"id"');
    await waitFor(() => received.join('') === '{"id":1}\n{"id"');
    client.end(':2}\n');
    await waitFor(() => closed);
    assert.equal(switched, true);
    assert.equal(received.join(''), '{"id":1}\n{"id":2}\n');
    assert.equal(dataEvents, 0);
  });

  it('two sockets share the buffer, each callback sees only its own bytes', async () => {
    const seen = new Map<Socket, string>();
    const onRead = function (this: Socket, bytes: number, buffer: Buffer) {
      seen.set(this, (seen.get(this) ?? '') + buffer.toString('utf8', 0, bytes));
    };
    const sockets: Socket[] = [];
    const track = (s: Socket) => {
      sockets.push(s);
      assert.equal(readIntoSharedBuffer(s, onRead), true);
    };
    const a = await pair(track);
    const b = await pair(track);
    a.write('aaaa');
    b.write('bb');
    await waitFor(() => seen.size === 2 && [...seen.values()].join('').length === 6);
    assert.deepEqual(
      sockets.map((s) => seen.get(s)),
      ['aaaa', 'bb'],
    );
    a.destroy();
    b.destroy();
  });

  it('reads go on after pause() and resume()', async () => {
    let got = '';
    let server: Socket | undefined;
    const client = await pair((s) => {
      server = s;
      readIntoSharedBuffer(s, (bytes, buffer) => {
        got += buffer.toString('utf8', 0, bytes);
      });
    });
    client.write('one');
    await waitFor(() => got === 'one');
    server!.pause();
    server!.resume();
    client.write('two');
    await waitFor(() => got === 'onetwo');
    client.destroy();
  });

  it('a client socket switched while still connecting reads its first bytes through the callback', async () => {
    const server = createServer((s) => s.end('hello\n'));
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const client = connect((server.address() as { port: number }).port, '127.0.0.1');
    let got = '';
    assert.equal(
      readIntoSharedBuffer(client, (bytes, buffer) => {
        got += buffer.toString('utf8', 0, bytes);
      }),
      true,
    );
    await waitFor(() => got === 'hello\n');
    client.destroy();
  });

  it('other streams are left to their data listeners', () => {
    assert.equal(
      readIntoSharedBuffer(new PassThrough(), () => {}),
      false,
    );
  });

  it('a socket already read through data listeners is left as it is', async () => {
    let result: boolean | undefined;
    const client = await pair((s) => {
      s.on('data', () => {});
      result = readIntoSharedBuffer(s, () => {});
    });
    await waitFor(() => result !== undefined);
    assert.equal(result, false);
    client.destroy();
  });
});
