import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SseParser } from './sse-parser.ts';

describe('SseParser', () => {
  it('parses named events with ids, carrying the id over frames that set none', () => {
    const p = new SseParser();
    const { events } = p.push(
      'id: 7\nevent: rankings-changed\ndata: {"id":7}\n\nevent: catch-up\ndata: {"a":1}\n\n',
    );
    assert.deepEqual(events, [
      { event: 'rankings-changed', data: '{"id":7}', lastEventId: '7' },
      { event: 'catch-up', data: '{"a":1}', lastEventId: '7' },
    ]);
    assert.equal(p.lastEventId, '7');
  });

  it('joins data lines, ignores comments and unknown fields, names an unnamed event `message`', () => {
    const p = new SseParser();
    const { events } = p.push(': keep-alive\nfoo: bar\ndata: a\ndata:b\n\n');
    assert.deepEqual(events, [{ event: 'message', data: 'a\nb', lastEventId: '' }]);
  });

  it('keeps a frame split anywhere across chunks, with CRLF and CR line ends', () => {
    const text = 'id: 12\r\nevent: x\r\ndata: hello\r\n\r\nid: 13\revent: y\rdata: z\r\r';
    for (let cut = 0; cut <= text.length; cut++) {
      const p = new SseParser();
      const events = [...p.push(text.slice(0, cut)).events, ...p.push(text.slice(cut)).events];
      assert.deepEqual(
        events.map((e) => [e.event, e.data, e.lastEventId]),
        [
          ['x', 'hello', '12'],
          ['y', 'z', '13'],
        ],
        `cut at ${cut}`,
      );
    }
  });

  it('dispatches nothing for a frame without data, and reports retry', () => {
    const p = new SseParser('3');
    const r = p.push('id: 4\n\nretry: 2500\nevent: only-name\n\n');
    assert.deepEqual(r.events, []);
    assert.equal(r.retryMs, 2500);
    assert.equal(p.lastEventId, '4');
  });

  it('waits for the blank line before dispatching', () => {
    const p = new SseParser();
    assert.deepEqual(p.push('event: a\ndata: 1\n').events, []);
    assert.equal(p.push('\n').events.length, 1);
  });
});
