// A Server-Sent Events client for tests: keeps everything received and waits for a text or pattern in it.

import { get, type IncomingMessage } from 'node:http';
import { waitFor } from './wait-for.ts';

export interface SseClient {
  response: IncomingMessage;
  text(): string;
  /** Resolves once the stream holds `expected` (else fails after waitFor's limit, naming what it got). */
  waitFor(expected: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Connects and resolves once the stream's first comment (`: connected`) has arrived. */
export function connectSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const request = get(url, { headers }, (response) => {
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
      });
      const ended = new Promise<void>((done) => response.on('close', done));
      const client: SseClient = {
        response,
        text: () => buffer,
        waitFor: async (expected, timeoutMs) => {
          await waitFor(
            () => (typeof expected === 'string' ? buffer.includes(expected) : expected.test(buffer)),
            `${expected} in the stream (got ${JSON.stringify(buffer.slice(-2000))})`,
            timeoutMs,
          );
        },
        ended,
        close: () => request.destroy(),
      };
      client.waitFor(': connected').then(() => resolve(client), reject);
    });
    request.on('error', reject);
  });
}
