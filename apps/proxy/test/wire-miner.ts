// A miner written as its transcript: the exact bytes a real miner program writes (key order, spacing, a
// "jsonrpc" member, line ends, several lines in one write or one line over many), and every line the proxy
// sends back, raw and parsed, with the work state a miner keeps from it (difficulty, extranonce, version mask).

import {
  decodeV1Call,
  type NotifyParams,
  parseSubscribeResult,
  type RpcId,
  type RpcMessage,
} from '@smart-mining/stratum';
import { RawStratumClient, waitFor } from '@smart-mining/testkit';

export interface WireJob {
  params: NotifyParams;
  /** The difficulty the last set_difficulty before this notify gave (1 before any). */
  difficulty: number;
  /** The extranonce in force for this job (subscribe, then set_extranonce from the next notify on). */
  extranonce1: string;
  extranonce2Size: number;
  /** The version mask in force (configure answer, then set_version_mask at once); 0 without rolling. */
  versionMask: number;
}

export class WireMiner {
  readonly client: RawStratumClient;
  /** Every line the proxy sent, as sent (without the `\n`). */
  readonly lines: string[] = [];
  #partial = '';

  private constructor(client: RawStratumClient) {
    this.client = client;
    client.socket.on('data', (chunk: Buffer) => {
      const text = this.#partial + chunk.toString('utf8');
      const parts = text.split('\n');
      this.#partial = parts.pop() ?? '';
      this.lines.push(...parts);
    });
  }

  static async connect(port: number): Promise<WireMiner> {
    return new WireMiner(await RawStratumClient.connect(port));
  }

  get messages(): RpcMessage[] {
    return this.client.messages;
  }

  get closed(): boolean {
    return this.client.closed;
  }

  /** Writes the text as it is, in one write. */
  write(text: string): void {
    this.client.write(text);
  }

  /** Writes the text in pieces of `size` bytes, each after the previous one has left. */
  async writeInPieces(text: string, size: number): Promise<void> {
    const bytes = Buffer.from(text, 'utf8');
    for (let at = 0; at < bytes.length; at += size) {
      const piece = bytes.subarray(at, at + size);
      await new Promise<void>((resolve, reject) =>
        this.client.socket.write(piece, (e) => (e ? reject(e) : resolve())),
      );
    }
  }

  /** The answer to `id` (a number or a string, compared as sent). */
  answer(id: RpcId, timeoutMs = 10_000): Promise<RpcMessage> {
    return this.client.answerTo(id as number | string, timeoutMs);
  }

  /** The raw line that answered `id` (its `"id"` member as the miner would read it). */
  async rawAnswer(id: RpcId): Promise<string> {
    await this.answer(id);
    return waitFor(
      () =>
        this.lines.find((l) => {
          const m = JSON.parse(l) as { id?: unknown; method?: unknown };
          return m.method === undefined && m.id === id;
        }),
      { what: `raw answer to ${JSON.stringify(id)}` },
    );
  }

  /** Pushes and requests received with this method, in order. */
  calls(method: string): Extract<RpcMessage, { method: string }>[] {
    return this.messages.filter(
      (m): m is Extract<RpcMessage, { method: string }> => 'method' in m && m.method === method,
    );
  }

  /** Every job received, with the state a miner holds for it; `subscribeId` names the subscribe's answer. */
  jobs(subscribeId: RpcId, configureId?: RpcId): WireJob[] {
    const out: WireJob[] = [];
    let difficulty = 1;
    let extranonce1 = '';
    let extranonce2Size = 0;
    let pending: { extranonce1: string; extranonce2Size: number | undefined } | undefined;
    let versionMask = 0;
    for (const m of this.messages) {
      if (m.kind === 'response' && m.id === subscribeId) {
        ({ extranonce1, extranonce2Size } = parseSubscribeResult(m.result));
        continue;
      }
      if (m.kind === 'response' && configureId !== undefined && m.id === configureId) {
        const mask = (m.result as Record<string, unknown>)['version-rolling.mask'];
        if (typeof mask === 'string') versionMask = Number.parseInt(mask, 16) >>> 0;
        continue;
      }
      if (m.kind !== 'notification') continue;
      const call = decodeV1Call(m, 'pool');
      if (call.method === 'mining.set_difficulty') difficulty = call.params.difficulty;
      if (call.method === 'mining.set_extranonce') pending = call.params;
      if (call.method === 'mining.set_version_mask') versionMask = call.params.mask;
      if (call.method === 'mining.notify') {
        if (pending !== undefined) {
          extranonce1 = pending.extranonce1;
          extranonce2Size = pending.extranonce2Size ?? extranonce2Size;
          pending = undefined;
        }
        out.push({ params: call.params, difficulty, extranonce1, extranonce2Size, versionMask });
      }
    }
    return out;
  }

  /** Waits for the `n`-th job (1-based) and returns it. */
  nthJob(n: number, subscribeId: RpcId, configureId?: RpcId): Promise<WireJob> {
    return waitFor(() => this.jobs(subscribeId, configureId)[n - 1], { what: `job #${n}` });
  }

  close(): void {
    this.client.close();
  }
}
