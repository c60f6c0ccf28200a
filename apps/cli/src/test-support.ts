// Test helpers for the command line: a configuration pointed at a replay server, and text sinks.

import { type Config, loadConfig, setPath } from '@smart-mining/platform';
import { type ReplayBaseUrls, replayEnvironment } from '@smart-mining/testkit';

const SOURCES = ['binance', 'coingecko', 'hashrateno', 'minerstat', 'whattomine', 'nanopool', 'twominers'];

/**
 * The replay command's environment on an in-memory database, without request spacing (the server is local) and
 * with one attempt per request.
 */
export function replayTestConfig(
  urls: ReplayBaseUrls,
  env: NodeJS.ProcessEnv = {},
  { timeoutMs = 2000 } = {},
): Config {
  return loadConfig({
    file: null,
    env: { ...replayEnvironment(urls), SM_DATA_DIR: 'memory://', ...env },
    overrides: (raw) => {
      for (const source of SOURCES) {
        setPath(raw, ['aggregator', 'sources', source, 'timeoutMs'], timeoutMs);
        setPath(raw, ['aggregator', 'sources', source, 'attempts'], 1);
        setPath(raw, ['aggregator', 'sources', source, 'minIntervalMs'], 0);
      }
    },
  });
}

export interface TextSink {
  text: string;
  write(chunk: string): boolean;
}

export function textSink(): TextSink {
  const sink = {
    text: '',
    write: (chunk: string) => {
      sink.text += chunk;
      return true;
    },
  };
  return sink;
}
