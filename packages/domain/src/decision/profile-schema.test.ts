import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILT_IN_PROFILES, findBuiltInProfile } from './built-in-profiles.ts';
import { DecisionError } from './errors.ts';
import { parseProfileDefinition } from './profile-schema.ts';

describe('parseProfileDefinition', () => {
  it('applies the defaults to an empty definition', () => {
    assert.deepEqual(parseProfileDefinition({}), {
      filters: { maxDataAgeS: 900 },
      objective: 'revenue',
      priceBasis: 'current',
      scope: 'algorithm',
      switching: { thresholdFraction: 0.03, minDwellS: 600, algorithmSwitchCostS: 60 },
    });
  });

  it('keeps given values and fills only the missing ones', () => {
    const def = parseProfileDefinition({
      filters: { coins: { deny: ['BTC'] }, minVolume24hUsd: 1e5 },
      switching: { minDwellS: 120 },
      priceBasis: 'avg_24h',
    });
    assert.deepEqual(def.filters, { coins: { deny: ['BTC'] }, minVolume24hUsd: 1e5, maxDataAgeS: 900 });
    assert.deepEqual(def.switching, { thresholdFraction: 0.03, minDwellS: 120, algorithmSwitchCostS: 60 });
    assert.equal(def.priceBasis, 'avg_24h');
  });

  const bad: { name: string; input: unknown; field: string; says: RegExp }[] = [
    {
      name: 'threshold of the wrong type',
      input: { switching: { thresholdFraction: '3%' } },
      field: 'switching.thresholdFraction',
      says: /expected number/,
    },
    {
      name: 'threshold above 1',
      input: { switching: { thresholdFraction: 3 } },
      field: 'switching.thresholdFraction',
      says: /<=1/,
    },
    {
      name: 'profit without electricity',
      input: { objective: 'profit' },
      field: 'electricityUsdPerKwh',
      says: /required when objective is 'profit'/,
    },
    {
      name: 'fixed target not a pool key',
      input: { fixedTarget: 'ETC' },
      field: 'fixedTarget',
      says: /2miners:ETC/,
    },
    {
      name: 'fixed target with a lowercase coin',
      input: { fixedTarget: '2miners:etc' },
      field: 'fixedTarget',
      says: /pool key/,
    },
    {
      name: 'lowercase coin key',
      input: { filters: { coins: { allow: ['ETC', 'rvn'] } } },
      field: 'filters.coins.allow.1',
      says: /uppercase/,
    },
    {
      name: 'unknown algorithm',
      input: { filters: { algorithms: ['ethash', 'scrypt-n'] } },
      field: 'filters.algorithms.1',
      says: /expected one of/,
    },
    {
      name: 'bad pool filter',
      input: { filters: { pools: { deny: ['Nano Pool'] } } },
      field: 'filters.pools.deny.0',
      says: /pool id/,
    },
    { name: 'unknown scope', input: { scope: 'hashrate' }, field: 'scope', says: /expected one of/ },
    { name: 'misspelt key', input: { switching: { thresold: 0.05 } }, field: 'switching', says: /thresold/ },
    {
      name: 'negative data age',
      input: { filters: { maxDataAgeS: -1 } },
      field: 'filters.maxDataAgeS',
      says: />0/,
    },
    { name: 'not an object', input: 'max-usd-coin', field: '(definition)', says: /expected object/ },
  ];
  for (const c of bad) {
    it(`names the bad field: ${c.name}`, () => {
      assert.throws(
        () => parseProfileDefinition(c.input),
        (error: unknown) => {
          assert.ok(error instanceof DecisionError);
          assert.equal(error.code, 'SM_PROFILE_INVALID');
          assert.equal(error.field, c.field);
          assert.match(error.message, new RegExp(`${c.field.replace(/[.()]/g, '\\$&')}: `));
          assert.match(error.message, c.says);
          return true;
        },
      );
    });
  }
});

describe('BUILT_IN_PROFILES', () => {
  it('has the four built-ins, each a valid definition that survives a JSON round trip', () => {
    assert.deepEqual(
      BUILT_IN_PROFILES.map((p) => p.name),
      ['max-usd-coin', 'max-usd-hashrate', 'max-profit', 'fixed'],
    );
    for (const p of BUILT_IN_PROFILES) {
      assert.equal(p.builtIn, true);
      assert.deepEqual(parseProfileDefinition(JSON.parse(JSON.stringify(p.definition))), p.definition);
    }
  });

  it('sets scope, objective, electricity and fixed target as the design says', () => {
    assert.equal(findBuiltInProfile('max-usd-coin')?.definition.scope, 'algorithm');
    assert.equal(findBuiltInProfile('max-usd-hashrate')?.definition.scope, 'hardware');
    const maxProfit = findBuiltInProfile('max-profit')?.definition;
    assert.equal(maxProfit?.objective, 'profit');
    assert.equal(maxProfit?.electricityUsdPerKwh, 0.1);
    assert.equal(maxProfit?.scope, 'hardware');
    assert.equal(findBuiltInProfile('fixed')?.definition.fixedTarget, '2miners:ETC');
    assert.equal(findBuiltInProfile('nope'), undefined);
  });
});
