import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StratumError } from './errors.ts';
import { LineFramer, type LineSink } from './line-framer.ts';

class Collect implements LineSink {
  lines: string[] = [];
  errors: StratumError[] = [];
  onLine(line: string): void {
    this.lines.push(line);
  }
  onLineError(error: StratumError): void {
    this.errors.push(error);
  }
}

const request = (id: number, method: string, params: unknown[]) =>
  `${JSON.stringify({ id, method, params })}\n`;

/** Three messages as a miner sends them: LF, CRLF, a multi-byte UTF-8 agent, and a blank line between. */
const STREAM = Buffer.from(
  request(1, 'mining.subscribe', ['cpuminer/2.5.1 — ü']) +
    '\r\n' +
    request(2, 'mining.authorize', ['wallet.worker', 'x']).replace('\n', '\r\n') +
    request(3, 'mining.submit', ['wallet.worker', '1f', '00000001', '504e86b9', '0c4fe5a9']),
);
const EXPECTED = STREAM.toString('utf8')
  .split('\n')
  .map((l) => l.replace(/\r$/, ''))
  .filter((l) => l.length > 0);

function feed(max: number, chunks: Buffer[]): Collect {
  const sink = new Collect();
  const framer = new LineFramer(max, sink);
  for (const c of chunks) framer.push(c);
  assert.equal(framer.bufferedBytes, 0);
  return sink;
}

describe('LineFramer', () => {
  it('frames only chunk[0, end) of a reused read buffer, and keeps nothing of it', () => {
    const sink = new Collect();
    const framer = new LineFramer(1024, sink);
    const buffer = Buffer.alloc(64, 0x0a);
    const read = (text: string) => framer.push(buffer, buffer.write(text));
    read('{"id":1}\n{"id"');
    buffer.fill(0x0a);
    read(':2}\n{"i');
    buffer.fill('x');
    read('d":3}\n');
    assert.deepEqual(sink.lines, ['{"id":1}', '{"id":2}', '{"id":3}']);
    assert.equal(framer.bufferedBytes, 0);
  });

  it('skips lines of whitespace alone and a leading byte-order mark; keeps what follows them', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const sink = feed(1024, [
      Buffer.concat([bom, Buffer.from('{"id":1}\r\n \n\t\r\n\r\r\n  {"id":2}  \n'), bom, Buffer.from('\n')]),
    ]);
    assert.deepEqual(sink.lines, ['{"id":1}', '{"id":2}  ']);
    assert.deepEqual(sink.errors, []);
  });

  it('splits whole chunks into lines without \\r and skips blank lines', () => {
    const sink = feed(1024, [STREAM]);
    assert.deepEqual(sink.lines, EXPECTED);
    assert.equal(EXPECTED.length, 3);
    assert.ok(sink.lines[0]!.endsWith('— ü"]}'));
  });

  it('gives the same lines when the stream is cut at every offset', () => {
    for (let i = 0; i <= STREAM.length; i++) {
      const sink = feed(1024, [STREAM.subarray(0, i), STREAM.subarray(i)]);
      assert.deepEqual(sink.lines, EXPECTED, `cut at ${i}`);
    }
  });

  it('gives the same lines when cut at every pair of offsets', () => {
    for (let i = 0; i <= STREAM.length; i += 1) {
      for (let j = i; j <= STREAM.length; j += 3) {
        const sink = feed(1024, [STREAM.subarray(0, i), STREAM.subarray(i, j), STREAM.subarray(j)]);
        assert.deepEqual(sink.lines, EXPECTED, `cuts at ${i}, ${j}`);
      }
    }
  });

  it('gives the same lines fed one byte at a time', () => {
    const chunks = [...STREAM].map((b) => Buffer.from([b]));
    assert.deepEqual(feed(1024, chunks).lines, EXPECTED);
  });

  it('holds no buffer between lines, and only the partial bytes while a line is incomplete', () => {
    const sink = new Collect();
    const framer = new LineFramer(1024, sink);
    framer.push(Buffer.from('{"id":1}\n{"id"'));
    assert.equal(framer.bufferedBytes, 5);
    framer.push(Buffer.from(':2}\n'));
    assert.equal(framer.bufferedBytes, 0);
    assert.deepEqual(sink.lines, ['{"id":1}', '{"id":2}']);
  });

  it('does not keep a view of the caller’s chunk for a partial line', () => {
    const sink = new Collect();
    const framer = new LineFramer(1024, sink);
    const chunk = Buffer.from('{"id":7');
    framer.push(chunk);
    chunk.fill(0x78); // the socket may reuse its memory
    framer.push(Buffer.from('}\n'));
    assert.deepEqual(sink.lines, ['{"id":7}']);
  });

  it('accepts a line of exactly the cap, also with \\r', () => {
    const line = 'x'.repeat(32);
    for (const end of ['\n', '\r\n']) {
      const bytes = Buffer.from(line + end);
      for (let i = 0; i <= bytes.length; i++) {
        const sink = feed(32, [bytes.subarray(0, i), bytes.subarray(i)]);
        assert.deepEqual(sink.lines, [line], `cut at ${i}`);
        assert.equal(sink.errors.length, 0);
      }
    }
  });

  it('reports an oversized line once, discards it to its \\n and keeps framing, at every cut', () => {
    const big = `{"id":9,"method":"x","params":["${'a'.repeat(100)}"]}\n`;
    const stream = Buffer.from(`{"id":1}\n${big}{"id":2}\n`);
    for (let i = 0; i <= stream.length; i++) {
      const sink = feed(40, [stream.subarray(0, i), stream.subarray(i)]);
      assert.deepEqual(sink.lines, ['{"id":1}', '{"id":2}'], `cut at ${i}`);
      assert.equal(sink.errors.length, 1, `cut at ${i}`);
      assert.equal(sink.errors[0]!.code, 'SM_STRATUM_LINE_TOO_LONG');
    }
  });

  it('stops buffering an endless line at the cap (slow-loris without \\n)', () => {
    const sink = new Collect();
    const framer = new LineFramer(64, sink);
    for (let i = 0; i < 1000; i++) framer.push(Buffer.from('abcdefgh'));
    assert.equal(framer.bufferedBytes, 0);
    assert.equal(sink.errors.length, 1);
    framer.push(Buffer.from('tail\n{"id":3}\n'));
    assert.deepEqual(sink.lines, ['{"id":3}']);
  });

  it('reset drops a partial line', () => {
    const sink = new Collect();
    const framer = new LineFramer(64, sink);
    framer.push(Buffer.from('{"id":'));
    framer.reset();
    framer.push(Buffer.from('{"id":4}\n'));
    assert.deepEqual(sink.lines, ['{"id":4}']);
  });
});
