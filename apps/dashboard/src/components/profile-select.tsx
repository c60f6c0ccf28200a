// The profile to decide with, chosen from /v1/profiles (the market and the backtest both ask for one).

import type { Profile } from '../api/types.ts';
import { plainOptions, SelectField } from './select-field.tsx';

export function ProfileSelect(props: {
  profiles: readonly Profile[] | undefined;
  value: string;
  onChange: (name: string) => void;
}) {
  return (
    <SelectField
      label="Profile"
      name="profile"
      value={props.value}
      options={plainOptions(props.profiles?.map((p) => p.name) ?? [props.value])}
      onChange={props.onChange}
    />
  );
}
