'use client';
import { useState, type FormEvent } from 'react';
import { useRouter } from 'next/navigation';
import type { TOperation, TServerStatus } from '@berth/contracts';
import { callApi } from './api-client.ts';
import { FieldError } from './field-error.tsx';
import { problemFields, type TFieldMessages } from './problem-fields.ts';

type TTarget = { id: string; name: string; status: string | null };
type TProps = {
  serverId: string;
  status: TServerStatus;
  /** An operation is queued or running on the server: the API would refuse another. */
  busy: boolean;
  /** Hosts on the server's IPv4 pool other than its own (the address moves with it). */
  hosts: TTarget[];
};

// Mirrors core's queueMigration allowed-from; the API stays the judge.
const MOVABLE: readonly TServerStatus[] = ['running', 'stopped', 'suspended'];

/** Admins: move a server to another host on its IPv4 pool, keeping its address; the move shows as the latest operation. */
export function ServerMigrate({ serverId, status, busy, hosts }: TProps) {
  const router = useRouter();
  const [hostId, setHostId] = useState('');
  const [sending, setSending] = useState(false);
  const [errors, setErrors] = useState<TFieldMessages>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [queued, setQueued] = useState(false);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setSending(true);
    setErrors({});
    setFormError(null);
    setQueued(false);
    const res = await callApi<{ operation: TOperation }>(`/api/v1/servers/${serverId}/migrate`, { method: 'POST', body: hostId ? { hostId } : {} });
    setSending(false);
    if (!res.ok && res.status === 401) return router.replace('/login');
    if (res.ok) {
      setQueued(true);
      return router.refresh();
    }
    const { fields, other } = problemFields(res.problem, ['hostId']);
    setErrors(fields);
    // no_capacity's usual sentence is about orders; its detail says why no host on the pool can take this one.
    setFormError(res.problem.code === 'no_capacity' && res.problem.detail ? res.problem.detail : other.length ? other.join(' ') : null);
  };

  return (
    <form className="stack-sm" aria-label="Move to another host" onSubmit={onSubmit} noValidate>
      {formError && <p className="alert alert-error" role="alert">{formError}</p>}
      <label htmlFor="migrate-host">Destination (the server keeps its IPv4 address; running, it is offline for seconds)</label>
      <select id="migrate-host" name="hostId" value={hostId} onChange={(e) => setHostId(e.target.value)}
        aria-invalid={!!errors.hostId} aria-describedby={errors.hostId ? 'migrate-host-error' : 'migrate-host-hint'}>
        <option value="">Any suitable host</option>
        {hosts.map((h) => <option key={h.id} value={h.id}>{h.name}{h.status && h.status !== 'online' ? ` (${h.status})` : ''}</option>)}
      </select>
      <FieldError id="migrate-host" messages={errors.hostId} />
      {!errors.hostId && (
        <p id="migrate-host-hint" className="hint">
          {hosts.length
            ? `${hosts.length} other host${hosts.length === 1 ? '' : 's'} share${hosts.length === 1 ? 's' : ''} this server's IPv4 pool.`
            : 'No other host shares this server\'s IPv4 pool yet: add one to the pool on the Hosts page.'}
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="btn" disabled={sending || busy || !MOVABLE.includes(status)}>{sending ? 'Moving…' : 'Move server'}</button>
      </div>
      {queued && <p className="muted small" role="status">Move queued: its progress shows under Latest operation.</p>}
    </form>
  );
}
