// The one dispatch table for what a miner sends: each V1 method, the rule it implements, and its handler.
// Methods a pool sends (notify, set_difficulty, …) arrive here as 'unknown' and are answered, never forwarded.

import type { V1Call } from '@smart-mining/stratum';
import { type Dispatch, type MinerSession, setMinerDispatch } from '../miner-session.ts';
import { authorize } from './authorize.ts';
import {
  configure,
  extranonceSubscribe,
  keepalive,
  subscribe,
  suggestDifficulty,
  unknownMethod,
} from './handshake.ts';
import { submit } from './submit.ts';

type Handlers = {
  [M in V1Call['method']]?: {
    spec: string;
    handle: (s: MinerSession, call: Extract<V1Call, { method: M }>) => void;
  };
};

export const MINER_METHODS = {
  'mining.subscribe': {
    spec: 'stratum.md §2.1: [agent, session] → [[subscriptions], X, n2′]; a known session id resumes its slot',
    handle: subscribe,
  },
  'mining.authorize': {
    spec: 'stratum.md §2.1: ACCOUNT.WORKER + p=,hw=,d= → true (before or after subscribe), or false with 24 and why',
    handle: authorize,
  },
  'mining.configure': {
    spec: 'BIP 310: version-rolling mask = miner ∩ pool (listener mask before a pool), subscribe-extranonce',
    handle: configure,
  },
  'mining.extranonce.subscribe': {
    spec: 'NiceHash extranonce extension: true; the miner then takes mining.set_extranonce on a switch',
    handle: extranonceSubscribe,
  },
  'mining.suggest_difficulty': {
    spec: 'stratum.md §2.1: a hint, string or number; accepted, never fails',
    handle: suggestDifficulty,
  },
  'mining.suggest_target': {
    spec: 'slush Stratum docs: the target form of suggest_difficulty; accepted, never fails',
    handle: suggestDifficulty,
  },
  'mining.submit': {
    spec: 'stratum.md §2.2, §8.3: checked locally (21–25), forwarded to the pool that issued the job',
    handle: submit,
  },
  keepalived: { spec: 'stratum.md §1: keepalive answered locally', handle: keepalive },
  unknown: {
    spec: 'stratum.md §1, BIP 310: unknown methods answered with 20 (ping: pong), never forwarded',
    handle: unknownMethod,
  },
} satisfies Handlers;

/** Routes a decoded call to its handler. */
export const dispatchMinerCall: Dispatch = (s, call) => {
  const rule = (MINER_METHODS as Handlers)[call.method] as
    | { handle: (s: MinerSession, call: V1Call) => void }
    | undefined;
  if (rule !== undefined) rule.handle(s, call);
  else unknownMethod(s, { method: 'unknown', id: call.id, name: call.method, params: undefined });
};

setMinerDispatch(dispatchMinerCall);
