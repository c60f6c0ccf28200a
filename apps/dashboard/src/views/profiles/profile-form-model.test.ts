// Tests for the profile form's model: text fields to a definition and back, and which field an error names.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiRequestError } from '../../api/client.ts';
import { EMPTY_FORM, fieldOfError, toDefinition, toFormValues } from './profile-form-model.ts';

const badParameter = (message: string) => new ApiRequestError(400, 'SM_API_BAD_PARAMETER', message);

describe('profile form model', () => {
  it('leaves empty fields out, so the API fills its defaults', () => {
    assert.deepEqual(toDefinition(EMPTY_FORM), {
      objective: 'revenue',
      priceBasis: 'current',
      scope: 'algorithm',
    });
  });

  it('sends numbers as numbers, lists as arrays, and text that is no number as typed', () => {
    const definition = toDefinition({
      ...EMPTY_FORM,
      objective: 'profit',
      electricityUsdPerKwh: '0.06',
      coinsDeny: 'BTC, DOGE,',
      thresholdFraction: 'lots',
    });
    assert.equal(definition.electricityUsdPerKwh, 0.06);
    assert.deepEqual(definition.filters, { coins: { deny: ['BTC', 'DOGE'] } });
    // The API names the field and says what is wrong: the form does not guess.
    assert.deepEqual(definition.switching, { thresholdFraction: 'lots' });
  });

  it('round-trips a stored definition', () => {
    const stored = {
      description: 'night',
      objective: 'profit' as const,
      electricityUsdPerKwh: 0.06,
      priceBasis: 'avg_1h' as const,
      scope: 'hardware' as const,
      filters: { algorithms: ['kawpow' as const], pools: { allow: ['2miners'] }, maxDataAgeS: 600 },
      switching: { thresholdFraction: 0.05, minDwellS: 1200, algorithmSwitchCostS: 30 },
    };
    assert.deepEqual(toDefinition(toFormValues('night', stored)), stored);
  });

  it('finds the field an error names, down to list items', () => {
    assert.equal(fieldOfError(badParameter('body/name must match ^[a-z0-9]')), 'name');
    assert.equal(
      fieldOfError(badParameter('body/definition/switching/thresholdFraction is invalid: too big')),
      'thresholdFraction',
    );
    assert.equal(
      fieldOfError(badParameter('body/definition/filters/coins/allow/0 is invalid: ticker')),
      'coinsAllow',
    );
    assert.equal(fieldOfError(badParameter('body/definition is invalid: unknown key')), null);
    assert.equal(fieldOfError(new ApiRequestError(401, 'SM_API_UNAUTHORIZED', 'wrong token')), null);
  });
});
