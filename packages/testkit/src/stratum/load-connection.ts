// One connection of the load generator: its state, its framer sink, and the shared socket listeners.

import type { Socket } from 'node:net';
import {
  decodeV1Call,
  LineFramer,
  type LineSink,
  type NotifyParams,
  type PreparedJob,
  parseMessage,
  parseSubscribeResult,
} from '@smart-mining/stratum';

/** What a connection reports to its load generator (LoadMiners implements it). */
export interface LoadHub {
  errors: number;
  mining: number;
  lastNotifyLine: string;
  lastJob: LoadJob | undefined;
  jobFor(line: string, notify: NotifyParams): LoadJob;
  jobArrived(job: LoadJob): void;
  answered(conn: LoadConnection, id: number, accepted: boolean): void;
}

export interface LoadJob {
  notify: NotifyParams;
  poolJobSeq: number;
  prepared: PreparedJob | undefined;
}

export type LoadConnectionState = 'connecting' | 'subscribing' | 'mining' | 'closed';

export const SUBSCRIBE_ID = 1;
export const AUTHORIZE_ID = 2;
const kConn = Symbol('loadConnection');
export type LoadSocket = Socket & { [kConn]: LoadConnection };

/**
 * net.connect's `onread` for every connection of a load process: one buffer for all, no fresh buffer and no
 * stream event per read. The framer copies what it keeps, so the next read may overwrite it.
 */
const readBuffer = Buffer.allocUnsafeSlow(64 * 1024);
export const loadReadOptions = {
  buffer: readBuffer,
  callback(this: Socket, bytes: number): boolean {
    (this as LoadSocket)[kConn].framer.push(readBuffer, bytes);
    return true; // false would pause the socket
  },
};
function onClose(this: LoadSocket): void {
  this[kConn].closed();
}
function ignore(): void {}

export class LoadConnection implements LineSink {
  state: LoadConnectionState = 'connecting';
  extranonce1 = '';
  extranonce2Size = 4;
  difficulty = 1;
  job: LoadJob | undefined;
  submitSeq = 0;
  nonce = 0;
  /** Set while starting: called once when the first job arrives or the connection closes. */
  onSettled: (() => void) | undefined;
  readonly framer: LineFramer;

  constructor(
    readonly load: LoadHub,
    readonly index: number,
    readonly socket: LoadSocket,
    readonly username: string,
  ) {
    this.framer = new LineFramer(64 * 1024, this);
    socket[kConn] = this;
    socket.on('close', onClose);
    socket.on('error', ignore);
  }

  onLineError(): void {
    this.load.errors++;
  }

  onLine(line: string): void {
    const load = this.load;
    if (line === load.lastNotifyLine) {
      this.#job(load.lastJob!);
      return;
    }
    let msg: ReturnType<typeof parseMessage>;
    try {
      msg = parseMessage(line);
    } catch {
      load.errors++;
      return;
    }
    if (msg.kind === 'response' || msg.kind === 'error') {
      if (msg.id === SUBSCRIBE_ID && msg.kind === 'response') {
        const r = parseSubscribeResult(msg.result);
        this.extranonce1 = r.extranonce1;
        this.extranonce2Size = r.extranonce2Size;
      } else if (typeof msg.id === 'number' && msg.id > AUTHORIZE_ID) {
        load.answered(this, msg.id, msg.kind === 'response' && msg.result === true);
      } else if (msg.kind === 'error') {
        load.errors++;
      }
      return;
    }
    try {
      const call = decodeV1Call(msg, 'pool');
      if (call.method === 'mining.set_difficulty') this.difficulty = call.params.difficulty;
      else if (call.method === 'mining.notify') this.#job(load.jobFor(line, call.params));
    } catch {
      load.errors++;
    }
  }

  #job(job: LoadJob): void {
    this.job = job;
    this.load.jobArrived(job);
    if (this.state === 'subscribing') {
      this.state = 'mining';
      this.load.mining++;
      this.#settled();
    }
  }

  closed(): void {
    if (this.state === 'mining') this.load.mining--;
    this.state = 'closed';
    this.framer.reset();
    this.#settled();
  }

  #settled(): void {
    const settled = this.onSettled;
    this.onSettled = undefined;
    settled?.();
  }
}
