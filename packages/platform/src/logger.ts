// The process logger (pino): JSON lines, one child per component.

import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = 'info', destination?: pino.DestinationStream): Logger {
  return destination ? pino({ level }, destination) : pino({ level });
}

export const silentLogger: Logger = pino({ level: 'silent' });
