import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HandshakeAsks } from './handshake-asks.ts';

describe('handshake asks: what a pool is no longer asked for', () => {
  it('a handshake that fails before the subscribe answer: configure goes first, then the subscribe params', () => {
    const asks = new HandshakeAsks();
    assert.deepEqual(asks.begin(true), { configure: true, bareSubscribe: false });
    asks.closed(true);
    assert.deepEqual(asks.begin(true), { configure: false, bareSubscribe: false });
    asks.handshakeFailed();
    assert.deepEqual(asks.begin(true), { configure: false, bareSubscribe: true });
  });

  it('configure answered, then the handshake fails: the subscribe params go, configure stays', () => {
    const asks = new HandshakeAsks();
    asks.begin(true);
    asks.configureAnswered(false);
    asks.closed(true);
    assert.deepEqual(asks.begin(true), { configure: true, bareSubscribe: true });
  });

  it('a refused configure or extranonce.subscribe is not asked again; one the pool closed on either', () => {
    const refused = new HandshakeAsks();
    refused.begin(true);
    refused.configureAnswered(true);
    assert.equal(refused.askExtranonceSubscribe(), true);
    refused.extranonceSubscribeAnswered(true);
    assert.deepEqual(refused.begin(true), { configure: false, bareSubscribe: false });
    assert.equal(refused.askExtranonceSubscribe(), false);

    const closed = new HandshakeAsks();
    closed.begin(true);
    closed.configureAnswered(false);
    assert.equal(closed.askExtranonceSubscribe(), true);
    closed.closed(false);
    assert.deepEqual(closed.begin(true), { configure: true, bareSubscribe: false });
    assert.equal(closed.askExtranonceSubscribe(), false);
  });

  it('a connection closed after its answers came changes nothing', () => {
    const asks = new HandshakeAsks();
    asks.begin(true);
    asks.configureAnswered(false);
    asks.askExtranonceSubscribe();
    asks.extranonceSubscribeAnswered(false);
    asks.closed(false);
    assert.deepEqual(asks.begin(true), { configure: true, bareSubscribe: false });
    assert.equal(asks.askExtranonceSubscribe(), true);
  });
});
