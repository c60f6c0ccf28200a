// A primary and its node:cluster workers serving one port (node:cluster shares it: listen(0) in every worker gives
// the same one): each worker reports its port once, then answers every command the primary sends, matched by id.
// The pool CLI and the proxy bench run their several processes this way.

import cluster, { type Worker } from 'node:cluster';

export interface WorkerGroup<C, R> {
  forks: Worker[];
  /** The port every worker serves. */
  port: number;
  /** Sends `cmd` to every worker; their answers, in fork order. */
  ask(cmd: C): Promise<R[]>;
}

/** In the primary: forks `count` workers and waits until each has reported its port. */
export async function forkWorkers<C extends object, R>(count: number): Promise<WorkerGroup<C, R>> {
  const forks = Array.from({ length: count }, () => cluster.fork());
  const ports = await Promise.all(
    forks.map(
      (w) => new Promise<number>((resolve) => w.once('message', (m: { port: number }) => resolve(m.port))),
    ),
  );
  let seq = 0;
  const askOne = (w: Worker, cmd: C) =>
    new Promise<R>((resolve) => {
      const id = ++seq;
      const onMessage = (m: { id?: number; reply: R }) => {
        if (m.id !== id) return;
        w.off('message', onMessage);
        resolve(m.reply);
      };
      w.on('message', onMessage);
      w.send({ id, cmd });
    });
  return { forks, port: ports[0]!, ask: (cmd) => Promise.all(forks.map((w) => askOne(w, cmd))) };
}

/** In a worker: reports `port` to the primary, then answers each of its commands with `answer`. */
export function serveWorker<C, R>(port: number, answer: (cmd: C) => R | Promise<R>): void {
  process.send!({ port });
  process.on('message', async (m: { id: number; cmd: C }) => {
    process.send!({ id: m.id, reply: await answer(m.cmd) });
  });
}
