// `smart-mining replay`: serves the recorded source responses locally, timestamps moved to now, and prints the
// environment that points the aggregator at them.

import { RECORDED_AT, type ReplayServer, replayEnvironment, startReplayServer } from '@smart-mining/testkit';

type TextSink = { write(text: string): unknown };

export interface ReplayDeps {
  out?: TextSink;
  now?: () => Date;
}

/** Starts the server and prints where it is, what it serves and the export lines. */
export async function startReplay(port: number, deps: ReplayDeps = {}): Promise<ReplayServer> {
  const { out = process.stdout, now = () => new Date() } = deps;
  const server = await startReplayServer(port, { now });
  const recorded = RECORDED_AT.toISOString().slice(0, 16).replace('T', ' ');
  const env = Object.entries(replayEnvironment(server.baseUrls)).map(([name, value]) =>
    value.includes('{') ? `${name}='${value}'` : `${name}=${value}`,
  );
  const exports: string[] = [];
  for (let i = 0; i < env.length; i += 2) exports.push(`export ${env.slice(i, i + 2).join(' ')}`);
  out.write(
    [
      `replay server on ${server.origin}: the seven sources' responses recorded on ${recorded} UTC,`,
      'with their timestamps moved to now so the market reads as fresh (prices in consensus, nothing stale).',
      'Point the aggregator at it by running these lines in the shell that runs smart-mining:',
      ...exports,
      '',
    ].join('\n'),
  );
  return server;
}

export async function replayCommand(options: { port: number }, deps: ReplayDeps = {}): Promise<number> {
  const server = await startReplay(options.port, deps);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise<number>(() => {});
}
