// What a pool pushes to the proxy (stratum.md §2.1) and what each does: jobs and difficulty go to the upstream,
// extranonce and version-mask changes update the client first, requests are answered, unknown ones refused.

import {
  encodeAccepted,
  encodePong,
  encodeUnknownMethod,
  encodeVersionResult,
  type NotifyParams,
  type V1Call,
} from '@smart-mining/stratum';
import type { PoolClientSink } from './pool-client-sink.ts';

/** The pool client as its pushes see it. */
export interface PoolPushTarget {
  readonly agent: string;
  readonly subscribed: boolean;
  readonly extranonce1: string;
  readonly extranonce2Size: number;
  readonly versionMask: number;
  answer(line: string): void;
  /** A job ahead of the subscribe answer (some pools send the first work at once): kept for that answer. */
  notifyBeforeSubscribe(params: NotifyParams): void;
  extranonceChanged(extranonce1: string, extranonce2Size: number | undefined): void;
  /** Clamped to the mask the proxy asked for. */
  versionMaskChanged(mask: number): void;
  reconnectAsked(host: string | undefined, port: number | undefined, waitS: number): void;
}

export function handlePoolPush(client: PoolPushTarget, sink: PoolClientSink, call: V1Call): void {
  switch (call.method) {
    case 'mining.notify':
      if (client.subscribed) sink.poolNotify(call.params);
      else client.notifyBeforeSubscribe(call.params);
      return;
    case 'mining.set_difficulty':
      sink.poolDifficulty(call.params.difficulty);
      return;
    case 'mining.set_extranonce':
      client.extranonceChanged(call.params.extranonce1, call.params.extranonce2Size);
      sink.poolExtranonce(client.extranonce1, client.extranonce2Size);
      return;
    case 'mining.set_version_mask':
      client.versionMaskChanged(call.params.mask);
      sink.poolVersionMask(client.versionMask);
      return;
    case 'client.reconnect':
      client.reconnectAsked(call.params.host, call.params.port, call.params.waitS);
      return;
    case 'client.get_version':
      if (call.id !== null) client.answer(encodeVersionResult(call.id, client.agent));
      return;
    case 'client.show_message':
      sink.poolMessage(call.params.text);
      if (call.id !== null) client.answer(encodeAccepted(call.id));
      return;
    case 'mining.ping':
      if (call.id !== null) client.answer(encodePong(call.id));
      return;
    default:
      // Never forwarded to the miners: a pool's unknown request is refused here (error 20).
      if (call.id !== null)
        client.answer(encodeUnknownMethod(call.id, call.method === 'unknown' ? call.name : call.method));
  }
}
