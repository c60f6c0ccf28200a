// The API's clock as seen from the browser: ranges (last hour, last year) are measured from the server's now.

let offsetMs = 0;
let known = false;

/** Whether an answer has told the server's time yet. */
export function serverTimeKnown(): boolean {
  return known;
}

/** Called with the `at` of an answer: the server's now when it answered. */
export function noteServerTime(at: string): void {
  const serverMs = Date.parse(at);
  if (!Number.isFinite(serverMs)) return;
  offsetMs = serverMs - Date.now();
  known = true;
}

export function serverNow(): Date {
  return new Date(Date.now() + offsetMs);
}
