// Profiles: every profile (built-ins first), create, edit and delete user profiles with the API token.

import { useState } from 'preact/hooks';
import { api } from '../../api/client.ts';
import type { Profile } from '../../api/types.ts';
import { type Column, DataTable } from '../../components/data-table.tsx';
import { Field } from '../../components/field.tsx';
import { ErrorLine, Flag } from '../../components/status.tsx';
import { utc } from '../../format.ts';
import { useResource } from '../../live/use-resource.ts';
import type { ViewProps } from '../view.ts';
import { readToken, saveToken } from './api-token.ts';
import { type FormTask, ProfileForm } from './profile-form.tsx';

function TokenBox(props: { token: string; onChange: (token: string) => void }) {
  const [draft, setDraft] = useState('');
  if (props.token) {
    return (
      <p class="token">
        API token set for this session.{' '}
        <button type="button" onClick={() => props.onChange('')}>
          Forget it
        </button>
      </p>
    );
  }
  return (
    <form
      class="token controls"
      onSubmit={(e) => {
        e.preventDefault();
        props.onChange(draft.trim());
      }}
    >
      <Field label="API token" hint="needed to write; kept only in this tab (sessionStorage)">
        {(id) => (
          <input
            id={id}
            name="token"
            type="password"
            autoComplete="off"
            value={draft}
            onInput={(e) => setDraft(e.currentTarget.value)}
          />
        )}
      </Field>
      <button type="submit">Use token</button>
    </form>
  );
}

function Actions(props: { profile: Profile; onEdit: () => void; onDelete: () => Promise<void> }) {
  const [confirming, setConfirming] = useState(false);
  return (
    <span class="row-actions">
      <button type="button" onClick={props.onEdit}>
        {props.profile.builtIn ? 'Copy' : 'Edit'}
      </button>
      {!props.profile.builtIn &&
        (confirming ? (
          <button
            type="button"
            class="danger"
            onClick={() => props.onDelete().finally(() => setConfirming(false))}
          >
            Delete {props.profile.name}?
          </button>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            Delete
          </button>
        ))}
    </span>
  );
}

export function ProfilesView(_props: ViewProps) {
  const profiles = useResource(api.profiles, []);
  const [token, setToken] = useState(readToken);
  const [form, setForm] = useState<FormTask | undefined>();
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<Error | undefined>();

  const useToken = (value: string) => {
    saveToken(value);
    setToken(value);
  };
  const remove = async (p: Profile) => {
    setError(undefined);
    try {
      await api.deleteProfile(token, p.name);
      setNotice(`Deleted ${p.name}.`);
      profiles.reload();
    } catch (e) {
      setError(e as Error);
    }
  };
  const columns: Column<Profile>[] = [
    { key: 'name', title: 'Name', render: (p) => <b>{p.name}</b>, sortValue: (p) => p.name },
    { key: 'kind', title: '', render: (p) => (p.builtIn ? <Flag kind="info">built in</Flag> : null) },
    { key: 'objective', title: 'Objective', render: (p) => p.definition.objective ?? 'revenue' },
    { key: 'scope', title: 'Scope', wide: true, render: (p) => p.definition.scope ?? 'algorithm' },
    {
      key: 'description',
      title: 'Description',
      wide: true,
      wrap: true,
      render: (p) => p.definition.description ?? '',
    },
    {
      key: 'updated',
      title: 'Updated',
      wide: true,
      render: (p) => utc(p.updatedAt),
      sortValue: (p) => p.updatedAt,
    },
    {
      key: 'actions',
      title: '',
      render: (p) => (
        <Actions
          profile={p}
          onEdit={() => {
            setNotice('');
            setForm(
              p.builtIn
                ? { mode: 'create', initial: { name: `${p.name}-copy`, definition: p.definition } }
                : { mode: 'edit', initial: p },
            );
          }}
          onDelete={() => remove(p)}
        />
      ),
    },
  ];

  return (
    <>
      <TokenBox token={token} onChange={useToken} />
      {notice && <p class="notice">{notice}</p>}
      <ErrorLine error={error ?? profiles.error} />
      {form === undefined ? (
        <button
          type="button"
          class="primary new-profile"
          onClick={() => {
            setNotice('');
            setForm({ mode: 'create', initial: null });
          }}
        >
          New profile
        </button>
      ) : (
        <ProfileForm
          key={`${form.mode}:${form.initial?.name ?? ''}`}
          {...form}
          token={token}
          onCancel={() => setForm(undefined)}
          onSaved={(saved) => {
            setForm(undefined);
            setNotice(`Saved ${saved.name}.`);
            profiles.reload();
          }}
        />
      )}
      {profiles.data && (
        <DataTable
          label="Profiles"
          rows={profiles.data}
          columns={columns}
          rowKey={(p) => p.name}
          pageSize={50}
        />
      )}
    </>
  );
}
