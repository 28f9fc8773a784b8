'use client';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { TBackup, TOperation, TPlan, TServer } from '@berth/contracts';
import { formatDate, formatPlanSpecs } from '../format.ts';
import { problemFields, type TFieldMessages } from '../problem-fields.ts';
import { useApiCall } from './use-api-call.ts';

type TProps = {
  /** The backup to start from; null: closed. */
  backup: TBackup | null;
  /** Plans the owner may order (active ones are offered). */
  plans: TPlan[];
  onClose: () => void;
};

/** FieldError's text as a <div>: the dialog mutes its paragraphs, and an error must not look like a hint. */
function DialogFieldError({ id, messages }: { id: string; messages: string[] | undefined }) {
  return messages?.length ? <div id={`${id}-error`} className="field-error">{messages.join(' ')}</div> : null;
}

/** Order a new server from a backup (its files and SSH host keys, a new address); on success, go to it. */
export function BackupRestoreNew({ backup, plans, onClose }: TProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const { busy, run, router } = useApiCall();
  const [hostname, setHostname] = useState('');
  const [planId, setPlanId] = useState('');
  const [errors, setErrors] = useState<TFieldMessages>({});
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (backup && !d.open) {
      setHostname(backup.hostname);
      setPlanId('');
      setErrors({});
      setFormError(null);
      d.showModal();
    } else if (!backup && d.open) d.close();
  }, [backup]);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!backup) return;
    setErrors({});
    setFormError(null);
    const body = { ...(hostname.trim() ? { hostname: hostname.trim() } : {}), ...(planId ? { planId } : {}) };
    const res = await run<{ server: TServer; operation: TOperation }>('new', `/api/v1/backups/${backup.id}/servers`, { method: 'POST', body });
    if (!res) return;
    if (res.ok) {
      ref.current?.close();
      return router.push(`/servers/${res.data.server.id}`);
    }
    const { fields, other } = problemFields(res.problem, ['hostname', 'planId']);
    setErrors(fields);
    setFormError(other.length ? other.join(' ') : null);
  };

  const samePlan = plans.find((p) => p.id === backup?.planId);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="restore-new-title" onClose={onClose}>
      <form className="stack" onSubmit={onSubmit} noValidate aria-label="Restore to a new server">
        <h2 id="restore-new-title">Restore to a new server</h2>
        <p>
          A new server starts from the backup of {backup ? formatDate(backup.createdAt) : ''}: its files, SSH host keys and root
          access, with a new IPv4 address. It is ordered and billed like any new server; this one is not touched.
        </p>
        {formError && <div className="alert alert-error" role="alert">{formError}</div>}
        <div className="field">
          <label htmlFor="restore-new-hostname">Hostname</label>
          <input id="restore-new-hostname" value={hostname} onChange={(e) => setHostname(e.target.value)} autoComplete="off" spellCheck={false}
            aria-invalid={!!errors.hostname} aria-describedby={errors.hostname ? 'restore-new-hostname-error' : undefined} />
          <DialogFieldError id="restore-new-hostname" messages={errors.hostname} />
        </div>
        <div className="field">
          <label htmlFor="restore-new-plan">Plan</label>
          <select id="restore-new-plan" value={planId} onChange={(e) => setPlanId(e.target.value)}
            aria-invalid={!!errors.planId} aria-describedby={errors.planId ? 'restore-new-plan-error' : undefined}>
            <option value="">Same as the backed-up server{samePlan ? ` (${samePlan.name})` : ''}</option>
            {plans.filter((p) => p.active && p.id !== backup?.planId).map((p) => <option key={p.id} value={p.id}>{p.name} · {formatPlanSpecs(p)}</option>)}
          </select>
          <DialogFieldError id="restore-new-plan" messages={errors.planId} />
        </div>
        <div className="button-row end">
          <button type="button" className="btn" onClick={() => ref.current?.close()}>Cancel</button>
          <button type="submit" className="btn btn-primary" disabled={!!busy}>{busy ? 'Ordering…' : 'Create server'}</button>
        </div>
      </form>
    </dialog>
  );
}
