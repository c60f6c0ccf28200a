import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HandshakeAsks, RETRY_AFTER_MS } from './handshake-asks.ts';

describe('handshake asks: what a pool is no longer asked for', () => {
  it('a handshake that fails before the subscribe answer: configure goes first, then the subscribe params', () => {
    const asks = new HandshakeAsks();
    assert.deepEqual(asks.begin(true, 1000), { configure: true, bareSubscribe: false });
    asks.closed(true);
    assert.deepEqual(asks.begin(true, 1000), { configure: false, bareSubscribe: false });
    asks.handshakeFailed();
    assert.deepEqual(asks.begin(true, 1000), { configure: false, bareSubscribe: true });
  });

  it('configure answered, then the handshake fails: the subscribe params go, configure stays', () => {
    const asks = new HandshakeAsks();
    asks.begin(true, 1000);
    asks.configureAnswered(false);
    asks.closed(true);
    assert.deepEqual(asks.begin(true, 1000), { configure: true, bareSubscribe: true });
  });

  it('a refused configure or extranonce.subscribe is not asked again; one the pool closed on either', () => {
    const refused = new HandshakeAsks();
    refused.begin(true, 1000);
    refused.configureAnswered(true);
    assert.equal(refused.askExtranonceSubscribe(), true);
    refused.extranonceSubscribeAnswered(true);
    assert.deepEqual(refused.begin(true, 1000), { configure: false, bareSubscribe: false });
    assert.equal(refused.askExtranonceSubscribe(), false);

    const closed = new HandshakeAsks();
    closed.begin(true, 1000);
    closed.configureAnswered(false);
    assert.equal(closed.askExtranonceSubscribe(), true);
    closed.closed(false);
    assert.deepEqual(closed.begin(true, 1000), { configure: true, bareSubscribe: false });
    assert.equal(closed.askExtranonceSubscribe(), false);
  });

  it('a connection closed after its answers came changes nothing', () => {
    const asks = new HandshakeAsks();
    asks.begin(true, 1000);
    asks.configureAnswered(false);
    asks.askExtranonceSubscribe();
    asks.extranonceSubscribeAnswered(false);
    asks.closed(false);
    assert.deepEqual(asks.begin(true, 1000), { configure: true, bareSubscribe: false });
    assert.equal(asks.askExtranonceSubscribe(), true);
  });

  it('what a close or a timeout left out is asked for again after RETRY_AFTER_MS; a refusal is not', () => {
    const asks = new HandshakeAsks();
    asks.begin(true, 1000);
    asks.closed(true);
    asks.begin(true, 2000);
    asks.handshakeFailed();
    assert.deepEqual(asks.begin(true, 3000), { configure: false, bareSubscribe: true });
    assert.deepEqual(asks.begin(true, 1000 + RETRY_AFTER_MS - 1), { configure: false, bareSubscribe: true });
    assert.deepEqual(asks.begin(true, 2000 + RETRY_AFTER_MS), { configure: true, bareSubscribe: false });
    asks.configureAnswered(false);
    assert.equal(asks.askExtranonceSubscribe(), true);
    asks.closed(false);
    asks.begin(true, 3000 + RETRY_AFTER_MS);
    assert.equal(asks.askExtranonceSubscribe(), false);
    asks.begin(true, 3000 + 2 * RETRY_AFTER_MS);
    assert.equal(asks.askExtranonceSubscribe(), true);

    const refused = new HandshakeAsks();
    refused.begin(true, 1000);
    refused.configureAnswered(true);
    refused.askExtranonceSubscribe();
    refused.extranonceSubscribeAnswered(true);
    assert.deepEqual(refused.begin(true, 1000 + 10 * RETRY_AFTER_MS), {
      configure: false,
      bareSubscribe: false,
    });
    assert.equal(refused.askExtranonceSubscribe(), false);
  });
});
