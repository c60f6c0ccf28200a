// The API token for writes: entered once, kept for this browser tab's session only (sessionStorage).

const KEY = 'smart-mining.apiToken';

export function readToken(): string {
  return sessionStorage.getItem(KEY) ?? '';
}

export function saveToken(token: string): void {
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY);
}
