// The V1 dispatch table: every method this codec reads, who sends it, and the spec clause it implements.

import type { RpcCall, RpcId } from '../json-rpc.ts';
import { parseConfigureParams } from './configure.ts';
import {
  parseAuthorizeParams,
  parseIgnoredParams,
  parseSubmitParams,
  parseSubscribeParams,
  parseSuggestDifficultyParams,
  parseSuggestTargetParams,
} from './miner-params.ts';
import {
  parseNotifyParams,
  parseReconnectParams,
  parseSetDifficultyParams,
  parseSetExtranonceParams,
  parseSetVersionMaskParams,
  parseShowMessageParams,
} from './pool-params.ts';

/** Who sends a method: `miner` (miner → proxy → pool) or `pool` (pool → proxy → miner). */
export type V1Sender = 'miner' | 'pool';

export interface V1MethodRule<P> {
  from: V1Sender;
  /** Whether the sender expects an answer (a request with an id) or sends a push. */
  expects: 'answer' | 'nothing';
  /** Where the rule comes from (stratum.md section, BIP, extension spec). */
  spec: string;
  parse: (params: unknown) => P;
}

const rule = <P>(r: V1MethodRule<P>) => r;

/** Keys are lowercase: methods match case-insensitively, as cpuminer does (`strcasecmp`, stratum.md §1). */
export const V1_METHODS = {
  'mining.subscribe': rule({
    from: 'miner',
    expects: 'answer',
    spec: 'stratum.md §2.1 mining.subscribe: params [], [agent] or [agent, session]',
    parse: parseSubscribeParams,
  }),
  'mining.authorize': rule({
    from: 'miner',
    expects: 'answer',
    spec: 'stratum.md §2.1 mining.authorize: [username, password] → true/false',
    parse: parseAuthorizeParams,
  }),
  'mining.configure': rule({
    from: 'miner',
    expects: 'answer',
    spec: 'BIP 310 mining.configure: version-rolling, minimum-difficulty, subscribe-extranonce, info',
    parse: parseConfigureParams,
  }),
  'mining.extranonce.subscribe': rule({
    from: 'miner',
    expects: 'answer',
    spec: 'NiceHash extranonce subscribe extension (stratum.md §2.1): true, or [20, "Not supported."]',
    parse: parseIgnoredParams,
  }),
  'mining.suggest_difficulty': rule({
    from: 'miner',
    expects: 'answer',
    spec: 'stratum.md §2.1 mining.suggest_difficulty: a hint, string or number, never fails',
    parse: parseSuggestDifficultyParams,
  }),
  'mining.suggest_target': rule({
    from: 'miner',
    expects: 'answer',
    spec: 'slush Stratum docs mining.suggest_target: [full target hex], the target form of suggest_difficulty; a hint',
    parse: parseSuggestTargetParams,
  }),
  'mining.submit': rule({
    from: 'miner',
    expects: 'answer',
    spec: 'stratum.md §2.1 mining.submit: [worker, job, extranonce2, ntime, nonce(, version_bits BIP 310)]',
    parse: parseSubmitParams,
  }),
  keepalived: rule({
    from: 'miner',
    expects: 'answer',
    spec: 'stratum.md §1 keepalive (xmrig `keepalived`): answered locally, never forwarded',
    parse: parseIgnoredParams,
  }),
  'mining.notify': rule({
    from: 'pool',
    expects: 'nothing',
    spec: 'stratum.md §2.1 mining.notify: 9 params, checked as cpuminer does',
    parse: parseNotifyParams,
  }),
  'mining.set_difficulty': rule({
    from: 'pool',
    expects: 'nothing',
    spec: 'stratum.md §2.1 mining.set_difficulty: applies to the next notify',
    parse: parseSetDifficultyParams,
  }),
  'mining.set_extranonce': rule({
    from: 'pool',
    expects: 'nothing',
    spec: 'NiceHash extranonce extension: [extranonce1, extranonce2_size], used from the next notify',
    parse: parseSetExtranonceParams,
  }),
  'mining.set_version_mask': rule({
    from: 'pool',
    expects: 'nothing',
    spec: 'BIP 310 mining.set_version_mask: [mask], valid immediately',
    parse: parseSetVersionMaskParams,
  }),
  'client.reconnect': rule({
    from: 'pool',
    expects: 'nothing',
    spec: 'stratum.md §2.1 client.reconnect: [host, port, wait]; cpuminer needs both host and port',
    parse: parseReconnectParams,
  }),
  'client.get_version': rule({
    from: 'pool',
    expects: 'answer',
    spec: 'stratum.md §2.1 client.get_version: the miner answers its agent string',
    parse: parseIgnoredParams,
  }),
  'client.show_message': rule({
    from: 'pool',
    expects: 'nothing',
    spec: 'stratum.md §2.1 client.show_message: [text]; answered true when it had an id',
    parse: parseShowMessageParams,
  }),
  'mining.ping': rule({
    from: 'pool',
    expects: 'answer',
    spec: 'stratum.md §2.1 mining.ping (cgminer 4.7.1+): cpuminer-opt answers "pong"',
    parse: parseIgnoredParams,
  }),
} as const;

export type V1Method = keyof typeof V1_METHODS;

/** A decoded call: the canonical method name, the id to echo, typed params. */
export type V1Call =
  | {
      [M in V1Method]: { method: M; id: RpcId; params: ReturnType<(typeof V1_METHODS)[M]['parse']> };
    }[V1Method]
  /** A method this codec does not know, or one the other side sends: answer 20 locally, never forward. */
  | { method: 'unknown'; id: RpcId; name: string; params: unknown };

/** The table entry for a method name in any case, or undefined. */
export function v1MethodRule(name: string): V1MethodRule<unknown> | undefined {
  const key = name.toLowerCase();
  return Object.hasOwn(V1_METHODS, key) ? V1_METHODS[key as V1Method] : undefined;
}

/**
 * Decodes a request or notification received from `from`. Throws StratumError SM_STRATUM_BAD_PARAMS /
 * SM_STRATUM_BAD_HEX when a known method's params have the wrong shape.
 */
export function decodeV1Call(message: RpcCall, from: V1Sender): V1Call {
  const key = message.method.toLowerCase();
  const known = Object.hasOwn(V1_METHODS, key) ? V1_METHODS[key as V1Method] : undefined;
  if (known === undefined || known.from !== from) {
    return { method: 'unknown', id: message.id, name: message.method, params: message.params };
  }
  return { method: key, id: message.id, params: known.parse(message.params) } as V1Call;
}
