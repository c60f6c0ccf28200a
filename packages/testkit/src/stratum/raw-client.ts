// A bare Stratum line client for tests: write any bytes, read every message, await the answer to an id.

import { EventEmitter, once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { LineFramer, type LineSink, parseMessage, type RpcMessage } from '@smart-mining/stratum';
import { waitFor } from '../wait-for.ts';

/** Emits 'message' (RpcMessage) for every message, in order. */
export class RawStratumClient extends EventEmitter implements LineSink {
  readonly socket: Socket;
  /** Every message received, in order. */
  readonly messages: RpcMessage[] = [];
  /** Lines that did not parse as JSON-RPC. */
  readonly badLines: string[] = [];
  closed = false;
  #framer = new LineFramer(1024 * 1024, this);
  #nextId = 1000;

  private constructor(socket: Socket) {
    super();
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.#framer.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
    });
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<RawStratumClient> {
    const socket = connect({ host, port, noDelay: true });
    await once(socket, 'connect');
    return new RawStratumClient(socket);
  }

  onLine(line: string): void {
    let msg: RpcMessage;
    try {
      msg = parseMessage(line);
    } catch {
      this.badLines.push(line);
      return;
    }
    this.messages.push(msg);
    this.emit('message', msg);
  }

  onLineError(): void {
    this.badLines.push('(line too long)');
  }

  /** Writes raw text or bytes as they are (add the `\n` yourself). */
  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Sends a request with a fresh id and resolves with the answer to that id. */
  async request(method: string, params: unknown[] = [], timeoutMs = 10_000): Promise<RpcMessage> {
    const id = this.#nextId++;
    this.write(`${JSON.stringify({ id, method, params })}\n`);
    return this.answerTo(id, timeoutMs);
  }

  answerTo(id: number | string, timeoutMs = 10_000): Promise<RpcMessage> {
    return waitFor(
      () => this.messages.find((m) => m.id === id && (m.kind === 'response' || m.kind === 'error')),
      {
        timeoutMs,
        what: `answer to ${id}`,
      },
    );
  }

  /** The first message (from `from` on) that calls `method`. */
  nextCall(method: string, from = 0, timeoutMs = 10_000): Promise<Extract<RpcMessage, { method: string }>> {
    return waitFor(
      () =>
        this.messages
          .slice(from)
          .find((m): m is Extract<RpcMessage, { method: string }> => 'method' in m && m.method === method),
      { timeoutMs, what: method },
    );
  }

  close(): void {
    this.socket.destroy();
  }
}
