// `smart-mining replay`: serves the recorded source responses locally, timestamps moved to now, and prints the
// environment that points the aggregator at them.

import { readFileSync } from 'node:fs';
import {
  describeMoves,
  type MarketScenario,
  parseMarketScenario,
  playScenario,
  RECORDED_AT,
  type ReplayServer,
  replayEnvironment,
  startReplayServer,
} from '@smart-mining/testkit';
import { CliError } from '../errors.ts';

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
      `Move the market (factors over the recording; {} puts it back): curl -X POST ${server.origin}/_control/market \\`,
      `  -d '{"coins": {"DOGE": {"priceFactor": 1.4}}}'`,
      '',
    ].join('\n'),
  );
  return server;
}

/** A scenario file (JSON: `{steps: [{atS, coins}], loopS?}`), or a CLI error naming the file and the problem. */
export function readScenarioFile(file: string): MarketScenario {
  try {
    return parseMarketScenario(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new CliError('SM_CLI_SCENARIO_INVALID', `scenario ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Plays the scenario on the server, printing each step as it applies. */
export function playReplayScenario(server: ReplayServer, scenario: MarketScenario, out: TextSink) {
  const loop = scenario.loopS === undefined ? 'once' : `every ${scenario.loopS} s`;
  out.write(`market scenario: ${scenario.steps.length} steps, played ${loop}\n`);
  return playScenario(server, scenario, {
    onStep: (index, step, loops) =>
      out.write(
        `market step ${index + 1}/${scenario.steps.length} (loop ${loops + 1}, +${step.atS} s): ${describeMoves(step.coins)}\n`,
      ),
  });
}

export async function replayCommand(
  options: { port: number; scenario?: string },
  deps: ReplayDeps = {},
): Promise<number> {
  const scenario = options.scenario === undefined ? undefined : readScenarioFile(options.scenario);
  const server = await startReplay(options.port, deps);
  if (scenario) playReplayScenario(server, scenario, deps.out ?? process.stdout);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise<number>(() => {});
}
