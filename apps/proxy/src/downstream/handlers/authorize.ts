// mining.authorize: the login is parsed, checked against the account directory (maybe asynchronously), and an
// authorized miner joins the route of its (algorithm, profile, hardware, account) once it is also subscribed.

import { encodeAccepted, encodeError, type RpcId, type V1Call, wireError } from '@smart-mining/stratum';
import type { Account } from '../../ports.ts';
import { type MinerLogin, parseLogin } from '../login.ts';
import type { MinerSession } from '../miner-session.ts';

type AuthorizeCall = Extract<V1Call, { method: 'mining.authorize' }>;

export function authorize(s: MinerSession, call: AuthorizeCall): void {
  const { username, password } = call.params;
  if (s.state === 'authorizing' || s.state === 'authorized') {
    again(s, call.id, username, password);
    return;
  }
  const parsed = parseLogin(username, password);
  if (!parsed.ok) {
    refuse(s, call.id, parsed.message);
    return;
  }
  s.state = 'authorizing';
  s.login = parsed.login;
  void check(s, call.id, parsed.login);
}

/**
 * Another authorize on a connection that has a login: cgminer repeats its own, and a farm proxy authorizes each
 * of its workers on one connection, as pools allow. A worker of the same account with the same options mines on
 * the same route, so it is accepted (with the first login's verdict while that is pending); a login that would
 * need another route (account, profile, hardware or d=) is refused: it needs a connection of its own.
 */
function again(s: MinerSession, id: RpcId, username: string, password: string): void {
  const first = s.login!;
  if (username !== first.username) {
    const parsed = parseLogin(username, password);
    if (!parsed.ok) {
      refuse(s, id, parsed.message);
      return;
    }
    if (!sameRoute(parsed.login, first)) {
      refuse(
        s,
        id,
        `this connection is authorized as ${JSON.stringify(first.username)}; another account or options need a connection of their own`,
      );
      return;
    }
  }
  if (s.state === 'authorized') s.send(encodeAccepted(id));
  else if (s.authorizeWaiting === null) s.authorizeWaiting = [id];
  else s.authorizeWaiting.push(id);
}

function sameRoute(a: MinerLogin, b: MinerLogin): boolean {
  return (
    a.accountName === b.accountName &&
    a.profile === b.profile &&
    a.hardware === b.hardware &&
    a.difficulty === b.difficulty
  );
}

/** The directory's verdict; the session may have closed while it was awaited. */
async function check(s: MinerSession, id: RpcId, login: MinerLogin): Promise<void> {
  let verdict: { account: Account } | { error: string };
  try {
    verdict = await lookUp(s, login);
  } catch (e) {
    verdict = { error: `account directory unavailable (${(e as Error).message}); try again` };
  }
  if (s.state !== 'authorizing') return;
  const waiting = s.authorizeWaiting;
  s.authorizeWaiting = null;
  if ('error' in verdict) {
    s.state = s.lane < 0 ? 'connected' : 'subscribed';
    s.login = null;
    refuse(s, id, verdict.error);
    for (const other of waiting ?? []) refuse(s, other, verdict.error);
    return;
  }
  s.state = 'authorized';
  s.account = verdict.account;
  s.fixedDifficulty = login.difficulty ?? s.suggestedDifficulty;
  s.send(encodeAccepted(id));
  for (const other of waiting ?? []) s.send(encodeAccepted(other));
  joinRoute(s);
}

/**
 * An authorized and subscribed miner joins its route (jobs need its extranonce1). Pools take the two in either
 * order (miningcore and public-pool authorize before subscribe too), so this runs after whichever comes last.
 */
export function joinRoute(s: MinerSession): void {
  if (s.state !== 'authorized' || s.lane < 0 || s.route !== null || s.login === null) return;
  s.ctx.routes.join(s, s.login.profile ?? s.listener.config.defaultProfile, s.login.hardware ?? null);
}

async function lookUp(s: MinerSession, login: MinerLogin): Promise<{ account: Account } | { error: string }> {
  const directory = s.ctx.directory;
  const account = await directory.account(login.accountName);
  if (account === undefined) {
    return { error: `unknown account or wallet ${JSON.stringify(login.accountName)} (use ACCOUNT.WORKER)` };
  }
  if (login.profile !== undefined && !(await directory.knownProfile(login.profile))) {
    return { error: `unknown profile ${JSON.stringify(login.profile)} (password p=PROFILE)` };
  }
  if (login.hardware !== undefined && !(await directory.knownHardware(login.hardware))) {
    return { error: `unknown hardware ${JSON.stringify(login.hardware)} (password hw=HARDWARE)` };
  }
  return { account };
}

/** `result: false` with error 24 and the reason: miners log it, and cpuminer checks the result. */
function refuse(s: MinerSession, id: RpcId, message: string): void {
  s.ctx.counters.loginsRefused++;
  s.send(encodeError(id, wireError('unauthorized', `Unauthorized worker: ${message}`), false));
}
