// A labelled form control with the API's error for that field shown beside it.

import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

export function Field(props: {
  label: string;
  error?: string | undefined;
  hint?: string;
  children: (id: string) => ComponentChildren;
}) {
  const id = useId();
  return (
    <div class={`field${props.error ? ' has-error' : ''}`}>
      <label for={id}>{props.label}</label>
      {props.children(id)}
      {props.error ? (
        <span class="field-error" role="alert">
          {props.error}
        </span>
      ) : (
        props.hint && <span class="field-hint">{props.hint}</span>
      )}
    </div>
  );
}

/** A labelled search box: the filters of the Miners and Switches views. */
export function SearchField(props: {
  label: string;
  hint: string;
  value: string;
  placeholder?: string;
  onInput: (value: string) => void;
}) {
  return (
    <Field label={props.label} hint={props.hint}>
      {(id) => (
        <input
          id={id}
          type="search"
          value={props.value}
          placeholder={props.placeholder}
          onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
        />
      )}
    </Field>
  );
}
