// A replayed market that moves: per-coin factors over the recording (price, difficulty), set at once or on a
// script of timed steps, applied to every source's answers alike so the aggregator's consensus still agrees.

import { coinByKey } from '@smart-mining/domain';
import { scaleCoinDifficulty, scaleCoinPrice } from './market-script.ts';
import type { ReplayServer } from './replay-server.ts';

/** One coin's market relative to the recording: 1.4 = 40 % above it. Omitted factors are 1. */
export interface CoinMove {
  /** Multiplies the coin's USD price in every source (exchanges, WhatToMine, Minerstat, Nanopool …). */
  priceFactor?: number;
  /** Multiplies difficulty and network hashrate, and divides what a hash earns, in every source. */
  difficultyFactor?: number;
}

/** The whole market's moves by ticker; a coin not named is as recorded. */
export type MarketMoves = Record<string, CoinMove>;

export interface ScenarioStep {
  /** Seconds from the scenario's start (of each loop) at which the market becomes `coins`. */
  atS: number;
  coins: MarketMoves;
}

export interface MarketScenario {
  /** In time order; the first usually at 0 s. */
  steps: ScenarioStep[];
  /** Starts over every `loopS` seconds (beyond the last step); without it the last step holds. */
  loopS?: number;
}

export class MarketScenarioError extends Error {
  override name = 'MarketScenarioError';
}

const FACTORS = ['priceFactor', 'difficultyFactor'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Checks moves from JSON (a control request, a scenario file): known tickers, positive finite factors. */
export function parseMarketMoves(value: unknown, path = 'coins'): MarketMoves {
  if (!isObject(value)) throw new MarketScenarioError(`${path} must be an object of coins ({"DOGE": {...}})`);
  const moves: MarketMoves = {};
  for (const [rawCoin, move] of Object.entries(value)) {
    const coin = rawCoin.toUpperCase();
    if (!coinByKey(coin)) throw new MarketScenarioError(`${path}.${rawCoin}: unknown coin`);
    if (!isObject(move)) throw new MarketScenarioError(`${path}.${rawCoin} must be an object`);
    const parsed: CoinMove = {};
    for (const [key, factor] of Object.entries(move)) {
      if (!(FACTORS as readonly string[]).includes(key))
        throw new MarketScenarioError(`${path}.${rawCoin}.${key}: unknown (known: ${FACTORS.join(', ')})`);
      if (typeof factor !== 'number' || !Number.isFinite(factor) || factor <= 0)
        throw new MarketScenarioError(`${path}.${rawCoin}.${key} must be a number above 0`);
      parsed[key as (typeof FACTORS)[number]] = factor;
    }
    moves[coin] = parsed;
  }
  return moves;
}

/** A scenario from JSON: `{steps, loopS?}`, or a bare array of steps (played once). */
export function parseMarketScenario(value: unknown): MarketScenario {
  const raw = Array.isArray(value) ? { steps: value } : value;
  if (!isObject(raw) || !Array.isArray(raw.steps) || raw.steps.length === 0)
    throw new MarketScenarioError('a scenario is {"steps": [{"atS": 0, "coins": {...}}, ...], "loopS"?: s}');
  const unknown = Object.keys(raw).filter((k) => k !== 'steps' && k !== 'loopS');
  if (unknown.length > 0) throw new MarketScenarioError(`unknown key(s): ${unknown.join(', ')}`);
  let previous = -1;
  const steps = raw.steps.map((step: unknown, i): ScenarioStep => {
    if (!isObject(step)) throw new MarketScenarioError(`steps.${i} must be {"atS": s, "coins": {...}}`);
    const { atS } = step;
    if (typeof atS !== 'number' || !Number.isFinite(atS) || atS < 0)
      throw new MarketScenarioError(`steps.${i}.atS must be a number of seconds ≥ 0`);
    if (atS <= previous) throw new MarketScenarioError(`steps.${i}.atS must come after the step before`);
    previous = atS;
    return { atS, coins: parseMarketMoves(step.coins ?? {}, `steps.${i}.coins`) };
  });
  const scenario: MarketScenario = { steps };
  if (raw.loopS !== undefined) {
    if (typeof raw.loopS !== 'number' || !(raw.loopS > previous))
      throw new MarketScenarioError(`loopS must be a number of seconds after the last step (${previous} s)`);
    scenario.loopS = raw.loopS;
  }
  return scenario;
}

/**
 * Moves the server's fixtures from market `from` to market `to` (both relative to the recording): each factor is
 * applied as the ratio to the one in force, so edits made meanwhile by other scripts are kept.
 */
export function applyMarketChange(server: ReplayServer, from: MarketMoves, to: MarketMoves): void {
  for (const coin of new Set([...Object.keys(from), ...Object.keys(to)])) {
    const was = from[coin] ?? {};
    const next = to[coin] ?? {};
    const price = (next.priceFactor ?? 1) / (was.priceFactor ?? 1);
    const difficulty = (next.difficultyFactor ?? 1) / (was.difficultyFactor ?? 1);
    if (price !== 1) scaleCoinPrice(server, coin, price);
    if (difficulty !== 1) scaleCoinDifficulty(server, coin, difficulty);
  }
}

/** What moves the market: a replay server, or anything with the same method (a control client). */
export interface MarketTarget {
  setMarket(moves: MarketMoves): void;
}

export interface ScenarioPlayer {
  /** Index of the step in force; -1 before the first. */
  readonly step: number;
  /** Completed loops. */
  readonly loops: number;
  stop(): void;
}

export interface PlayOptions {
  /** Called after each step is applied (a CLI prints it). */
  onStep?: (index: number, step: ScenarioStep, loop: number) => void;
}

/** Plays the steps on their times (timers unref'd: the server keeps the process alive); loops when asked. */
export function playScenario(
  target: MarketTarget,
  scenario: MarketScenario,
  options: PlayOptions = {},
): ScenarioPlayer {
  let step = -1;
  let loops = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = (index: number, loopStartMs: number) => {
    if (stopped) return;
    const at = scenario.steps[index];
    if (at === undefined) {
      if (scenario.loopS === undefined) return;
      const nextStart = loopStartMs + scenario.loopS * 1000;
      timer = setTimeout(() => {
        loops += 1;
        schedule(0, nextStart);
      }, nextStart - performance.now());
      timer.unref();
      return;
    }
    timer = setTimeout(
      () => {
        if (stopped) return;
        target.setMarket(at.coins);
        step = index;
        options.onStep?.(index, at, loops);
        schedule(index + 1, loopStartMs);
      },
      Math.max(0, loopStartMs + at.atS * 1000 - performance.now()),
    );
    timer.unref();
  };
  schedule(0, performance.now());
  return {
    get step() {
      return step;
    },
    get loops() {
      return loops;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** `DOGE price ×1.4, KAS difficulty ×0.9`, or `as recorded`. */
export function describeMoves(moves: MarketMoves): string {
  const parts: string[] = [];
  for (const [coin, move] of Object.entries(moves)) {
    if (move.priceFactor !== undefined && move.priceFactor !== 1)
      parts.push(`${coin} price ×${move.priceFactor}`);
    if (move.difficultyFactor !== undefined && move.difficultyFactor !== 1)
      parts.push(`${coin} difficulty ×${move.difficultyFactor}`);
  }
  return parts.length > 0 ? parts.join(', ') : 'as recorded';
}
