'use client';
import { useState, type FormEvent } from 'react';
import type { TOperation, TSnapshot } from '@berth/contracts';
import { FieldError } from '../field-error.tsx';
import { problemFields, type TFieldMessages } from '../problem-fields.ts';
import { useApiCall } from './use-api-call.ts';

type TProps = {
  serverId: string;
  /** Snapshots the server holds now, and how many its plan allows (null: plan unknown). */
  held: number;
  limit: number | null;
  /** Why the API would refuse now (another operation, rescue mode, the server's state); null: it may accept. */
  blocked: string | null;
};

/** Take a snapshot by name; the API's answer (a bad name, the plan's limit) shows next to the field. */
export function SnapshotTake({ serverId, held, limit, blocked }: TProps) {
  const { busy, run } = useApiCall();
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<TFieldMessages>({});
  const [formError, setFormError] = useState<string | null>(null);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setErrors({});
    setFormError(null);
    const res = await run<{ snapshot: TSnapshot; operation: TOperation }>('take', `/api/v1/servers/${serverId}/snapshots`, { method: 'POST', body: { name } });
    if (!res) return;
    if (res.ok) return setName('');
    // The plan's limit is about this form's one input: it belongs next to it.
    if (res.problem.code === 'quota_exceeded') return setErrors({ name: [res.problem.detail ?? res.problem.title] });
    const { fields, other } = problemFields(res.problem, ['name']);
    setErrors(fields);
    setFormError(other.length ? other.join(' ') : null);
  };

  const invalid = !!errors.name;
  return (
    <form className="stack-sm" aria-label="Take snapshot" onSubmit={onSubmit} noValidate>
      {formError && <p className="alert alert-error" role="alert">{formError}</p>}
      <div className="field">
        <label htmlFor="snapshot-name">Snapshot name</label>
        <span className="row-actions">
          <input id="snapshot-name" name="name" value={name} onChange={(e) => setName(e.target.value)} placeholder="before-upgrade"
            autoComplete="off" spellCheck={false} maxLength={80} aria-invalid={invalid}
            aria-describedby={invalid ? 'snapshot-name-error' : 'snapshot-name-hint'} />
          <button type="submit" className="btn" disabled={!!busy || !!blocked}>{busy ? 'Taking snapshot…' : 'Take snapshot'}</button>
        </span>
        <FieldError id="snapshot-name" messages={errors.name} />
        <p id="snapshot-name-hint" className="hint" data-testid="snapshot-quota">
          {limit === null ? `${held} snapshot${held === 1 ? '' : 's'}` : `${held} of ${limit} snapshots (plan limit)`}
          {' · '}{blocked ?? 'Crash-consistent: the server is frozen for milliseconds, and keeps running.'}
        </p>
      </div>
    </form>
  );
}
