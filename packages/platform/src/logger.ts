// The process logger (pino): human-readable lines on a terminal (pino-pretty), JSON lines otherwise.

import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export interface LoggerOptions {
  /** Human-readable lines instead of JSON; default: when writing to stdout and stdout is a terminal. */
  pretty?: boolean;
}

export function createLogger(
  level: string = 'info',
  destination?: DestinationStream,
  options: LoggerOptions = {},
): Logger {
  const human = options.pretty ?? (destination === undefined && process.stdout.isTTY === true);
  if (human) {
    // Synchronous, so the last lines before process.exit() (a shutdown, a fatal error) are not lost.
    const stream = pretty({
      destination: destination ?? 1,
      sync: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
      singleLine: true,
    });
    return pino({ level }, stream);
  }
  return destination ? pino({ level }, destination) : pino({ level });
}

export const silentLogger: Logger = pino({ level: 'silent' });
