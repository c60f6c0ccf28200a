// mining.authorize: the login is parsed, checked against the account directory (maybe asynchronously), and an
// authorized miner joins the route of its (algorithm, profile, hardware, account).

import { encodeAccepted, encodeError, type RpcId, type V1Call, wireError } from '@smart-mining/stratum';
import type { Account } from '../../ports.ts';
import { type MinerLogin, parseLogin } from '../login.ts';
import type { MinerSession } from '../miner-session.ts';

type AuthorizeCall = Extract<V1Call, { method: 'mining.authorize' }>;

export function authorize(s: MinerSession, call: AuthorizeCall): void {
  const { username, password } = call.params;
  if (s.lane < 0) {
    s.reject(call.id, 'notSubscribed', 'Not subscribed: send mining.subscribe first');
    return;
  }
  if (s.state === 'authorizing' || s.state === 'authorized') {
    // cgminer may authorize again; one connection mines for one login.
    if (s.login?.username === username) s.send(encodeAccepted(call.id));
    else refuse(s, call.id, `this connection is authorized as ${JSON.stringify(s.login?.username ?? '')}`);
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

/** The directory's verdict; the session may have closed while it was awaited. */
async function check(s: MinerSession, id: RpcId, login: MinerLogin): Promise<void> {
  let verdict: { account: Account } | { error: string };
  try {
    verdict = await lookUp(s, login);
  } catch (e) {
    verdict = { error: `account directory unavailable (${(e as Error).message}); try again` };
  }
  if (s.state !== 'authorizing') return;
  if ('error' in verdict) {
    s.state = 'subscribed';
    s.login = null;
    refuse(s, id, verdict.error);
    return;
  }
  s.state = 'authorized';
  s.account = verdict.account;
  s.fixedDifficulty = login.difficulty ?? 0;
  s.send(encodeAccepted(id));
  s.ctx.routes.join(s, login.profile ?? s.listener.config.defaultProfile, login.hardware ?? null);
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
  s.send(encodeError(id, wireError('unauthorized', `Unauthorized worker: ${message}`), false));
}
