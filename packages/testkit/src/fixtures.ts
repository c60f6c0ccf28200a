// Loads the recorded/constructed source responses shipped in ../fixtures.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Every fixture as parsed JSON, keyed by its path relative to the fixtures folder (`binance/ticker_price_single.json`). */
export function loadFixtures(dir = FIXTURES_DIR): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (rel: string): void => {
    for (const entry of readdirSync(join(dir, rel))) {
      const relPath = rel ? `${rel}/${entry}` : entry;
      if (statSync(join(dir, relPath)).isDirectory()) walk(relPath);
      else if (entry.endsWith('.json'))
        out.set(relPath, JSON.parse(readFileSync(join(dir, relPath), 'utf8')));
    }
  };
  walk('');
  return out;
}

export function fixture<T = unknown>(relPath: string): T {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, relPath), 'utf8')) as T;
}
