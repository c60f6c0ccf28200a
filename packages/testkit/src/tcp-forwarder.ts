// A TCP forwarder between a client and a server (the API and PostgreSQL) that a test can cut and restore:
// a database outage on demand, on 127.0.0.1 and an ephemeral port.

import { once } from 'node:events';
import { type AddressInfo, createConnection, createServer, type Server, type Socket } from 'node:net';

export class TcpForwarder {
  readonly #server: Server;
  readonly #target: { host: string; port: number };
  readonly #pairs = new Set<[Socket, Socket]>();
  #cut = false;

  private constructor(target: { host: string; port: number }) {
    this.#target = target;
    this.#server = createServer((client) => this.#accept(client));
  }

  /** Listens on 127.0.0.1 (ephemeral port) and forwards every connection to `target`. */
  static async start(target: { host: string; port: number }): Promise<TcpForwarder> {
    const forwarder = new TcpForwarder(target);
    forwarder.#server.listen(0, '127.0.0.1');
    await once(forwarder.#server, 'listening');
    return forwarder;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** `url` with its host and port replaced by this forwarder's. */
  url(url: string): string {
    const through = new URL(url);
    through.hostname = '127.0.0.1';
    through.port = String(this.port);
    return through.toString();
  }

  get connections(): number {
    return this.#pairs.size;
  }

  /** The outage: every open connection is reset and new ones are reset on arrival. */
  cut(): void {
    this.#cut = true;
    for (const [client, server] of this.#pairs) {
      client.resetAndDestroy();
      server.destroy();
    }
    this.#pairs.clear();
  }

  restore(): void {
    this.#cut = false;
  }

  async close(): Promise<void> {
    this.cut();
    this.#server.close();
    await once(this.#server, 'close');
  }

  #accept(client: Socket): void {
    if (this.#cut) {
      client.resetAndDestroy();
      return;
    }
    const server = createConnection(this.#target);
    const pair: [Socket, Socket] = [client, server];
    this.#pairs.add(pair);
    const drop = () => {
      this.#pairs.delete(pair);
      client.destroy();
      server.destroy();
    };
    client.on('error', drop).on('close', drop);
    server.on('error', drop).on('close', drop);
    client.pipe(server);
    server.pipe(client);
  }
}
