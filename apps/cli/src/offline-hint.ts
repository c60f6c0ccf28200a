// The hint for a machine without network: said once per process, after the first source that cannot be reached.

import type { SourceRun } from '@smart-mining/db';

export const OFFLINE_HINT = 'no network? try `smart-mining replay`: the recorded market, served locally';

/** Whether a run failed because its host could not be reached (DNS, refused, unreachable). */
export function isUnreachable(run: SourceRun): boolean {
  return !run.ok && (run.error ?? '').startsWith('SM_SOURCE_NETWORK');
}

/** Returns an onSourceRun hook that calls `say(OFFLINE_HINT)` the first time a source is unreachable. */
export function offlineHint(say: (hint: string) => void): (run: SourceRun) => void {
  let said = false;
  return (run) => {
    if (said || !isUnreachable(run)) return;
    said = true;
    say(OFFLINE_HINT);
  };
}
