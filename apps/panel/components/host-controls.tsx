'use client';
import { useState, type FormEvent } from 'react';
import { useRouter } from 'next/navigation';
import type { THost } from '@berth/contracts';
import { callApi, problemMessage } from './api-client.ts';
import { FieldError } from './field-error.tsx';
import { problemFields, type TFieldMessages } from './problem-fields.ts';

const RATIOS = ['cpuOvercommit', 'memoryOvercommit', 'diskOvercommit'] as const;
const LABEL: Record<(typeof RATIOS)[number], string> = { cpuOvercommit: 'CPU ×', memoryOvercommit: 'Memory ×', diskOvercommit: 'Disk ×' };

/** Admins: drain a host for maintenance (placement skips it) or end it, and set its overcommit ratios. */
export function HostControls({ host }: { host: THost }) {
  const router = useRouter();
  const [errors, setErrors] = useState<TFieldMessages>({});
  const [formError, setFormError] = useState<string | null>(null);
  const patch = async (body: Record<string, unknown>) => {
    setErrors({});
    setFormError(null);
    const res = await callApi<THost>(`/api/v1/hosts/${host.id}`, { method: 'PATCH', body });
    if (res.ok) return router.refresh();
    const { fields, other } = problemFields(res.problem, RATIOS);
    setErrors(fields);
    setFormError(other.length ? other.join(' ') : Object.keys(fields).length ? null : problemMessage(res.problem));
  };
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    void patch(Object.fromEntries(RATIOS.map((k) => {
      const v = String(f.get(k) ?? '').trim();
      return [k, v === '' || Number.isNaN(Number(v)) ? v : Number(v)];
    })));
  };
  return (
    <div className="stack-sm">
      {formError && <p className="alert alert-error" role="alert">{formError}</p>}
      <div className="button-row">
        {host.status === 'maintenance'
          ? <button type="button" className="btn btn-small" onClick={() => void patch({ status: 'online' })}>End maintenance</button>
          : <button type="button" className="btn btn-small" onClick={() => void patch({ status: 'maintenance' })}>Drain for maintenance</button>}
      </div>
      <form className="row-actions" aria-label={`Overcommit of ${host.name}`} onSubmit={onSubmit} noValidate>
        {RATIOS.map((k) => (
          <span key={k} className="stack-xs">
            <label htmlFor={`${k}-${host.id}`} className="small">{LABEL[k]}</label>
            <input id={`${k}-${host.id}`} name={k} className="input-small" defaultValue={String(host[k])} inputMode="decimal"
              aria-invalid={!!errors[k]} aria-describedby={errors[k] ? `${k}-${host.id}-error` : undefined} />
            <FieldError id={`${k}-${host.id}`} messages={errors[k]} />
          </span>
        ))}
        <button type="submit" className="btn btn-small">Save ratios</button>
      </form>
    </div>
  );
}
