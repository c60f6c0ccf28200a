// `smart-mining replay`: serves the recorded source responses locally and prints the environment that points at them.

import { startReplayServer } from '@smart-mining/testkit';

export async function replayCommand(options: { port: string }, out = process.stdout): Promise<number> {
  const server = await startReplayServer(Number(options.port));
  const u = server.baseUrls;
  out.write(
    [
      `replay server on ${server.origin}; point the aggregator at it with:`,
      `export SM_SOURCE_BINANCE_URL=${u.binance} SM_SOURCE_COINGECKO_URL=${u.coingecko}`,
      `export SM_SOURCE_HASHRATENO_URL=${u.hashrateno} SM_SOURCE_MINERSTAT_URL=${u.minerstat}`,
      `export SM_SOURCE_WHATTOMINE_URL=${u.whattomine} SM_SOURCE_NANOPOOL_URL='${u.nanopool}'`,
      `export SM_SOURCE_TWOMINERS_URL='${u.twominers}' MINERSTAT_API_KEY=replay HASHRATENO_API_KEY=replay`,
      '',
    ].join('\n'),
  );
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise<number>(() => {});
}
