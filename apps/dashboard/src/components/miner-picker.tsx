// Who mines, for the market and the backtest: a device from /v1/hardware, or an algorithm at a hashrate.

import type { Miner } from '../api/client.ts';
import type { Hardware } from '../api/types.ts';
import { Field } from './field.tsx';
import { plainOptions, SelectField } from './select-field.tsx';

/** As kept in the URL: `hardware` set means a device, else `algorithm` at `hashrateHs`. */
export interface MinerParams {
  hardware: string;
  algorithm: string;
  hashrateHs: string;
}

const UNITS: [string, number][] = [
  ['H/s', 1],
  ['kH/s', 1e3],
  ['MH/s', 1e6],
  ['GH/s', 1e9],
  ['TH/s', 1e12],
];

/** `auto`: the first GPU by name (or any device), so a view opens on something concrete. */
export function resolveDevice<P extends MinerParams>(
  params: P,
  hardware: readonly Hardware[] | undefined,
): P {
  if (params.hardware !== 'auto') return params;
  const sorted = [...(hardware ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  const device = sorted.find((h) => h.kind === 'gpu') ?? sorted[0];
  return { ...params, hardware: device?.hardware ?? '' };
}

export function toMiner(params: MinerParams): Miner | null {
  if (params.hardware) return { hardware: params.hardware };
  const hashrateHs = Number(params.hashrateHs);
  if (!params.algorithm || !(hashrateHs > 0)) return null;
  return { algorithms: [params.algorithm], hashrateHs };
}

/** The largest unit that keeps the number ≥ 1 (100 MH/s rather than 100000000 H/s). */
function splitHashrate(hs: number): [number, number] {
  const unit = [...UNITS].reverse().find(([, k]) => hs >= k) ?? UNITS[0]!;
  return [Number((hs / unit[1]).toPrecision(6)), unit[1]];
}

export function MinerPicker(props: {
  hardware: readonly Hardware[];
  algorithms: readonly string[];
  value: MinerParams;
  onChange: (change: Partial<MinerParams>) => void;
}) {
  const { value, onChange } = props;
  const [amount, unit] = splitHashrate(Number(value.hashrateHs) || 1);
  const devices = [...props.hardware].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <>
      <SelectField
        label="Hardware"
        name="hardware"
        value={value.hardware}
        options={[
          ['', '— by algorithm and hashrate —'],
          ...devices.map((h) => [h.hardware, `${h.name} (${h.kind})`] as const),
        ]}
        onChange={(hardware) => onChange({ hardware })}
      />
      {!value.hardware && (
        <>
          <SelectField
            label="Algorithm"
            name="algorithm"
            value={value.algorithm}
            options={[['', '— choose —'], ...plainOptions(props.algorithms)]}
            onChange={(algorithm) => onChange({ algorithm })}
          />
          <Field label="Hashrate">
            {(id) => (
              <span class="hashrate-input">
                <input
                  id={id}
                  name="hashrate"
                  type="number"
                  min="0"
                  step="any"
                  value={amount}
                  onChange={(e) => onChange({ hashrateHs: String(Number(e.currentTarget.value) * unit) })}
                />
                <select
                  aria-label="Hashrate unit"
                  value={unit}
                  onChange={(e) => onChange({ hashrateHs: String(amount * Number(e.currentTarget.value)) })}
                >
                  {UNITS.map(([label, k]) => (
                    <option key={label} value={k}>
                      {label}
                    </option>
                  ))}
                </select>
              </span>
            )}
          </Field>
        </>
      )}
    </>
  );
}
