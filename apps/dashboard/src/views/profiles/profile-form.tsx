// The profile form: create or edit; the API validates, and its error is shown beside the field it names.

import { useState } from 'preact/hooks';
import { ApiRequestError, api } from '../../api/client.ts';
import type { Profile, ProfileDefinition } from '../../api/types.ts';
import { Field } from '../../components/field.tsx';
import { ErrorLine } from '../../components/status.tsx';
import {
  EMPTY_FORM,
  type FormField,
  type FormValues,
  fieldOfError,
  toDefinition,
  toFormValues,
} from './profile-form-model.ts';

/** Create a profile (empty, or a copy of another) or edit one (its name fixed). */
export interface FormTask {
  mode: 'create' | 'edit';
  initial: { name: string; definition: ProfileDefinition } | null;
}

interface Props extends FormTask {
  token: string;
  onSaved: (profile: Profile) => void;
  onCancel: () => void;
}

type Choice = readonly [value: string, label: string];
const OBJECTIVES: Choice[] = [
  ['revenue', 'revenue'],
  ['profit', 'profit (net of electricity)'],
];
const PRICE_BASES: Choice[] = [
  ['current', 'current price'],
  ['avg_1h', '1 h average'],
  ['avg_24h', '24 h average'],
];
const SCOPES: Choice[] = [
  ['algorithm', "the miner's algorithm(s)"],
  ['hardware', 'every algorithm of the hardware'],
];

interface Spec {
  field: FormField;
  label: string;
  hint?: string;
  choices?: readonly Choice[];
}

const SECTIONS: { title: string; fields: Spec[] }[] = [
  {
    title: 'Profile',
    fields: [
      { field: 'name', label: 'Name', hint: 'lowercase letters, digits, - and _' },
      { field: 'description', label: 'Description' },
      { field: 'objective', label: 'Objective', choices: OBJECTIVES },
      { field: 'electricityUsdPerKwh', label: 'Electricity USD/kWh', hint: 'needed for profit' },
      { field: 'priceBasis', label: 'Price basis', choices: PRICE_BASES },
      { field: 'scope', label: 'Scope', choices: SCOPES },
      { field: 'fixedTarget', label: 'Fixed target', hint: 'a pool key (2miners:ETC), for a fixed profile' },
    ],
  },
  {
    title: 'Candidates',
    fields: [
      { field: 'algorithms', label: 'Algorithms', hint: 'comma-separated; empty: all' },
      { field: 'coinsAllow', label: 'Coins allowed', hint: 'ETC, RVN; empty: all' },
      { field: 'coinsDeny', label: 'Coins denied' },
      { field: 'poolsAllow', label: 'Pools allowed', hint: '2miners or 2miners:ETC' },
      { field: 'poolsDeny', label: 'Pools denied' },
      { field: 'minVolume24hUsd', label: 'Minimum 24 h volume, USD' },
      { field: 'maxDataAgeS', label: 'Maximum data age, s', hint: 'default 900' },
    ],
  },
  {
    title: 'Switching',
    fields: [
      { field: 'thresholdFraction', label: 'Threshold (fraction)', hint: '0.03 = switch when 3 % better' },
      { field: 'minDwellS', label: 'Minimum dwell, s', hint: 'default 600' },
      { field: 'algorithmSwitchCostS', label: 'Algorithm switch cost, s', hint: 'default 60' },
    ],
  },
];

function messageFor(error: ApiRequestError): string {
  if (error.code === 'SM_API_UNAUTHORIZED') return 'The API refused the token: enter the right one above.';
  if (error.code === 'SM_API_WRITES_DISABLED')
    return 'This server accepts no writes: start it with SM_API_TOKEN set.';
  return error.message;
}

export function ProfileForm(props: Props) {
  const editing = props.mode === 'edit';
  const [values, setValues] = useState<FormValues>(() =>
    props.initial ? toFormValues(props.initial.name, props.initial.definition) : EMPTY_FORM,
  );
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<FormField, string>>>({});
  const [formError, setFormError] = useState<Error | undefined>();
  const [saving, setSaving] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setSaving(true);
    setFieldErrors({});
    setFormError(undefined);
    try {
      const definition = toDefinition(values);
      const saved = editing
        ? await api.updateProfile(props.token, values.name, definition)
        : await api.createProfile(props.token, values.name.trim(), definition);
      props.onSaved(saved);
    } catch (error) {
      const field = error instanceof ApiRequestError ? fieldOfError(error) : null;
      if (field && error instanceof ApiRequestError) setFieldErrors({ [field]: error.problem });
      else setFormError(error instanceof ApiRequestError ? new Error(messageFor(error)) : (error as Error));
    } finally {
      setSaving(false);
    }
  };

  const control = (spec: Spec, id: string) => {
    const common = {
      id,
      name: spec.field,
      value: values[spec.field],
      'aria-invalid': fieldErrors[spec.field] ? true : undefined,
      onInput: (e: Event) =>
        setValues({ ...values, [spec.field]: (e.currentTarget as HTMLInputElement).value }),
    };
    if (spec.choices) {
      return (
        <select {...common}>
          {spec.choices.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      );
    }
    return <input {...common} type="text" readOnly={spec.field === 'name' && editing} />;
  };

  return (
    <form
      class="profile-form"
      noValidate
      onSubmit={submit}
      aria-label={editing ? `Edit ${values.name}` : 'New profile'}
    >
      <h2>{editing ? `Edit ${values.name}` : 'New profile'}</h2>
      {SECTIONS.map((section) => (
        <fieldset key={section.title}>
          <legend>{section.title}</legend>
          {section.fields.map((spec) => (
            <Field key={spec.field} label={spec.label} hint={spec.hint} error={fieldErrors[spec.field]}>
              {(id) => control(spec, id)}
            </Field>
          ))}
        </fieldset>
      ))}
      <ErrorLine error={formError} />
      <div class="actions">
        <button type="submit" class="primary" disabled={saving}>
          {editing ? 'Save' : 'Create'}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
