'use client';
import { useState, type FormEvent } from 'react';
import { useRouter } from 'next/navigation';
import type { TBackupTarget } from '@berth/contracts';
import { callApi } from '../api-client.ts';
import { FieldError } from '../field-error.tsx';
import { problemFields, type TFieldMessages } from '../problem-fields.ts';

const FIELDS = ['name', 'path'] as const;

/** Admins: add a backup target, a directory every attached host sees at that path (local disk or a shared mount). */
export function BackupTargetAdd() {
  const router = useRouter();
  const [errors, setErrors] = useState<TFieldMessages>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const f = new FormData(formEl);
    setBusy(true);
    setErrors({});
    setFormError(null);
    setDone(null);
    const res = await callApi<TBackupTarget>('/api/v1/backup-targets', {
      method: 'POST', body: { name: String(f.get('name') ?? ''), spec: { kind: 'dir', path: String(f.get('path') ?? '').trim() } },
    });
    setBusy(false);
    if (res.ok) {
      setDone(`${res.data.name} added: attach it to the hosts that should write there.`);
      formEl.reset();
      return router.refresh();
    }
    if (res.status === 401) return router.replace('/login');
    // spec.path is the form's path field.
    const { fields, other } = problemFields(res.problem, FIELDS, { spec: 'path' });
    setErrors(fields);
    setFormError(other.length ? other.join(' ') : null);
  };

  const field = (name: (typeof FIELDS)[number], label: string, placeholder: string, hint: string) => (
    <div className="field">
      <label htmlFor={`target-${name}`}>{label}</label>
      <input id={`target-${name}`} name={name} placeholder={placeholder} autoComplete="off" spellCheck={false} aria-invalid={!!errors[name]}
        aria-describedby={errors[name] ? `target-${name}-error` : `target-${name}-hint`} />
      <p id={`target-${name}-hint`} className="hint">{hint}</p>
      <FieldError id={`target-${name}`} messages={errors[name]} />
    </div>
  );

  return (
    <form className="stack-sm" aria-label="Add a backup target" onSubmit={onSubmit} noValidate>
      {formError && <p className="alert alert-error" role="alert">{formError}</p>}
      {done && <p className="alert" role="status">{done}</p>}
      <div className="form-grid">
        {field('name', 'Name', 'nfs-backups', 'Shown on each host it is attached to.')}
        {field('path', 'Directory', '/mnt/backups', 'An absolute path; the same on every attached host (a shared mount lets any of them restore).')}
      </div>
      <div className="form-actions"><button type="submit" className="btn" disabled={busy}>{busy ? 'Adding…' : 'Add target'}</button></div>
    </form>
  );
}
