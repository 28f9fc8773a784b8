'use client';
import { useState, type FormEvent } from 'react';
import { useRouter } from 'next/navigation';
import type { TIpPool } from '@berth/contracts';
import { callApi } from './api-client.ts';
import { FieldError } from './field-error.tsx';
import { problemFields, type TFieldMessages } from './problem-fields.ts';

type TProps = {
  pool: Pick<TIpPool, 'id' | 'cidr'>;
  /** Makes the ids unique: a pool shows under every host on it. */
  scope: string;
  /** A <datalist> of the hosts' ids, rendered once by the page. */
  listId: string;
};

/** Admins: put another host on a pool's L2 segment, so VPSes can move between them keeping their address. */
export function PoolAddHost({ pool, scope, listId }: TProps) {
  const router = useRouter();
  const [errors, setErrors] = useState<TFieldMessages>({});
  const [formError, setFormError] = useState<string | null>(null);
  const id = `pool-host-${pool.id}-${scope}`;

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const hostId = String(new FormData(formEl).get('hostId') ?? '').trim();
    setErrors({});
    setFormError(null);
    const res = await callApi<TIpPool>(`/api/v1/ip-pools/${pool.id}/hosts`, { method: 'POST', body: { hostId } });
    if (res.ok) {
      formEl.reset();
      return router.refresh();
    }
    if (res.status === 401) return router.replace('/login');
    // An unknown host is a 404 naming it (no field path): it belongs next to the field all the same.
    if (res.problem.code === 'not_found' && hostId && res.problem.detail?.includes(hostId)) {
      return setErrors({ hostId: [`No host has the id ${hostId}.`] });
    }
    const { fields, other } = problemFields(res.problem, ['hostId']);
    setErrors(fields);
    setFormError(other.length ? other.join(' ') : null);
  };

  return (
    <form className="stack-xs" aria-label={`Add a host to ${pool.cidr}`} onSubmit={onSubmit} noValidate>
      <span className="row-actions">
        <label htmlFor={id} className="small">Host ID</label>
        <input id={id} name="hostId" list={listId} placeholder="host_…" spellCheck={false} autoComplete="off" className="input-id"
          aria-invalid={!!errors.hostId} aria-describedby={errors.hostId ? `${id}-error` : undefined} />
        <button type="submit" className="btn btn-small">Add to pool</button>
      </span>
      <FieldError id={id} messages={errors.hostId} />
      {formError && <p className="field-error" role="alert">{formError}</p>}
    </form>
  );
}
