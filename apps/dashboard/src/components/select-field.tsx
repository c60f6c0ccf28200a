// A labelled select from [value, label] pairs: the one shape of every choice in the views' controls.

import { Field } from './field.tsx';

export type Options = readonly (readonly [value: string, label: string])[];

/** The same text as value and label. */
export function plainOptions(values: readonly string[]): Options {
  return values.map((v) => [v, v] as const);
}

export function SelectField(props: {
  label: string;
  name: string;
  value: string;
  options: Options;
  onChange: (value: string) => void;
  hint?: string;
}) {
  return (
    <Field label={props.label} hint={props.hint}>
      {(id) => (
        <select
          id={id}
          name={props.name}
          value={props.value}
          onChange={(e) => props.onChange(e.currentTarget.value)}
        >
          {props.options.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
