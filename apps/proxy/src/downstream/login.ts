// Reads a miner's login: username `ACCOUNT.WORKER` (or a bare wallet) and password `p=PROFILE,hw=HARDWARE,d=DIFF`.

export interface MinerLogin {
  /** As sent. */
  username: string;
  /** The part before the first `.`: an account name or a bare wallet. */
  accountName: string;
  /** The part after the first `.` ('' when there is none). */
  worker: string;
  profile: string | undefined;
  hardware: string | undefined;
  /** A fixed share difficulty for this miner (`d=`), checked locally; undefined: the pool's. */
  difficulty: number | undefined;
}

export type LoginResult = { ok: true; login: MinerLogin } | { ok: false; message: string };

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:+-]{0,127}$/;
const WORKER = /^[A-Za-z0-9_.:+@/-]{0,64}$/;

const OPTIONS = new Set(['p', 'hw', 'd']);

/**
 * `x`, empty, or options separated by `,` (`;` accepted too). Unknown option names are refused so a typo
 * (`hw` vs `h`) does not silently mine with the wrong profile. A word without `=` is a plain password (pool
 * guides tell miners `123` or `x`; pools ignore it), and ignored too, unless it is an option name without value.
 */
export function parseLogin(username: string, password: string): LoginResult {
  const dot = username.indexOf('.');
  const accountName = dot === -1 ? username : username.slice(0, dot);
  const worker = dot === -1 ? '' : username.slice(dot + 1);
  if (!NAME.test(accountName)) return fail(`account or wallet ${quote(accountName)} is not a valid name`);
  if (!WORKER.test(worker)) return fail(`worker name ${quote(worker)} is not valid`);
  const login: MinerLogin = {
    username,
    accountName,
    worker,
    profile: undefined,
    hardware: undefined,
    difficulty: undefined,
  };
  const options = password.trim();
  if (options === '' || options === 'x' || options === 'X') return { ok: true, login };
  for (const part of options.split(/[,;]/)) {
    const eq = part.indexOf('=');
    const key = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    const value = eq === -1 ? '' : part.slice(eq + 1).trim();
    if (key === '' && value === '') continue;
    if (eq === -1 && !OPTIONS.has(key)) continue;
    if (value === '')
      return fail(`password option ${quote(key)} has no value (use p=PROFILE,hw=HARDWARE,d=DIFF)`);
    if (key === 'p') login.profile = value;
    else if (key === 'hw') login.hardware = value;
    else if (key === 'd') {
      const d = Number(value);
      if (!Number.isFinite(d) || d <= 0) return fail(`d=${quote(value)} is not a positive difficulty`);
      login.difficulty = d;
    } else return fail(`unknown password option ${quote(key)} (use p=PROFILE,hw=HARDWARE,d=DIFF)`);
  }
  if (login.profile !== undefined && !NAME.test(login.profile))
    return fail(`profile ${quote(login.profile)} is not valid`);
  if (login.hardware !== undefined && !NAME.test(login.hardware)) {
    return fail(`hardware ${quote(login.hardware)} is not valid`);
  }
  return { ok: true, login };
}

const quote = (s: string) => JSON.stringify(s.slice(0, 64));
const fail = (message: string): LoginResult => ({ ok: false, message });
