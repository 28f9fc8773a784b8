'use client';
import { useEffect, useState } from 'react';
import { useRouter } from 'next/navigation';
import type { THost } from '@berth/contracts';
import { callApi } from './api-client.ts';
import { SshLoginFields, sshLogin } from './host-add-form.tsx';
import { problemFields, type TFieldMessages } from './problem-fields.ts';

const FIELDS = ['sshUser', 'sshPort', 'password', 'privateKey'] as const;

/**
 * The host's latest agent install (followed while it runs) and "Install again": the panel's current agent
 * over SSH (an upgrade, or a repair of a host whose agent is gone).
 */
export function HostInstall({ host }: { host: Pick<THost, 'id' | 'name' | 'lastInstall'> }) {
  const router = useRouter();
  const last = host.lastInstall;
  const active = last?.status === 'pending' || last?.status === 'running';
  const [open, setOpen] = useState(false);
  const [errors, setErrors] = useState<TFieldMessages>({});
  const [other, setOther] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  // An install is minutes of SSH in the worker: the card follows it until it ends.
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => router.refresh(), 2000);
    return () => clearInterval(t);
  }, [active, router]);

  const submit = async (form: FormData) => {
    setBusy(true);
    setErrors({});
    setOther([]);
    const res = await callApi(`/api/v1/hosts/${host.id}/install`, { method: 'POST', body: sshLogin(form) });
    setBusy(false);
    if (!res.ok) {
      const p = problemFields(res.problem, FIELDS);
      setErrors(p.fields);
      return setOther(p.other);
    }
    setOpen(false);
    router.refresh();
  };

  return (
    <div className="stack-sm" aria-label={`Agent install of ${host.name}`}>
      {last && (
        <p className="small" data-testid={`host-install-${host.name}`}>
          Agent install: <span className={`badge badge-${last.status === 'succeeded' ? 'running' : last.status === 'failed' ? 'error' : 'provisioning'}`}>{last.status}</span>{' '}
          {active && last.step && <span className="muted">{last.step}…</span>}
          {last.status === 'failed' && last.error && <span className="error-text"> {last.error}</span>}
        </p>
      )}
      {!open && (
        <div className="button-row">
          <button type="button" className="btn btn-small" disabled={active} onClick={() => setOpen(true)}>Install the agent again</button>
        </div>
      )}
      {open && (
        <form className="stack-sm" aria-label={`Install again on ${host.name}`} onSubmit={(e) => { e.preventDefault(); void submit(new FormData(e.currentTarget)); }}>
          {other.map((m) => <p key={m} className="alert alert-error" role="alert">{m}</p>)}
          <SshLoginFields idPrefix={`reinstall-${host.id}`} errors={errors} />
          <div className="button-row">
            <button type="submit" className="btn btn-small btn-primary" disabled={busy}>Install</button>
            <button type="button" className="btn btn-small" onClick={() => setOpen(false)}>Cancel</button>
          </div>
        </form>
      )}
    </div>
  );
}
