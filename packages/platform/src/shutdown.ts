// Graceful shutdown: on SIGINT/SIGTERM run the registered closers once, newest first, then exit.

import type { Logger } from 'pino';

export type Closer = () => Promise<void>;

export function onShutdown(
  logger: Logger,
  closers: Closer[],
  exit: (code: number) => void = process.exit,
): () => void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    let code = 0;
    for (const close of [...closers].reverse()) {
      try {
        await close();
      } catch (error) {
        code = 1;
        logger.error({ err: error }, 'error while stopping');
      }
    }
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
