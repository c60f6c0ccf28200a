// Graceful shutdown: on SIGINT/SIGTERM run the registered closers once, newest first, then exit; a process whose
// closers hang still exits (non-zero) after the grace period, before an orchestrator's SIGKILL would cut it.

import type { Logger } from 'pino';

export type Closer = () => Promise<void>;

export function onShutdown(
  logger: Logger,
  closers: Closer[],
  exit: (code: number) => void = process.exit,
  /** Under Docker's default stop timeout (10 s), so the log says what hung. */
  graceMs = 8000,
): () => void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    const deadline = setTimeout(() => {
      logger.error({ graceMs }, 'did not stop within the grace period: exiting anyway');
      exit(1);
    }, graceMs);
    deadline.unref();
    let code = 0;
    for (const close of [...closers].reverse()) {
      try {
        await close();
      } catch (error) {
        code = 1;
        logger.error({ err: error }, 'error while stopping');
      }
    }
    clearTimeout(deadline);
    logger.info({ code }, 'stopped');
    exit(code);
  };
  const onInt = () => void stop('SIGINT');
  const onTerm = () => void stop('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
}
