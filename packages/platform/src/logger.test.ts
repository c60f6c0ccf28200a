// Tests for the process logger: JSON lines for machines, pino-pretty lines for a terminal.

import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger } from './logger.ts';

function sink() {
  const sink = { text: '', write: (chunk: string) => (sink.text += chunk) };
  return sink;
}

describe('createLogger', () => {
  it('writes one JSON object per line by default', () => {
    const out = sink();
    createLogger('info', out).info({ source: 'binance' }, 'source ok');
    const line = JSON.parse(out.text.trim());
    assert.equal(line.msg, 'source ok');
    assert.equal(line.source, 'binance');
  });

  it('writes human-readable lines when asked (as on a terminal), with the level and the fields', async () => {
    const out = { text: '' };
    const written = new Promise<void>((resolve) => {
      const stream = new Writable({
        write(chunk, _encoding, done) {
          out.text += String(chunk);
          resolve();
          done();
        },
      });
      const logger = createLogger('info', stream, { pretty: true });
      logger.debug('not shown below the level');
      logger.info({ source: 'binance' }, 'source ok');
    });
    await written;
    assert.match(out.text, /INFO.*source ok/);
    assert.match(out.text, /"source":"binance"/);
    assert.doesNotMatch(out.text, /not shown/);
    assert.throws(() => JSON.parse(out.text));
  });
});
