'use client';
import { useState, type FormEvent } from 'react';
import { useRouter } from 'next/navigation';
import type { TPlan, TServer, TSshKey, TTemplate } from '@berth/contracts';
import { callApi, problemMessage } from './api-client.ts';
import { mapFieldErrors, type TField, type TFieldErrors } from './create-server-errors.ts';
import { FieldError } from './field-error.tsx';
import { formatHourly, formatPlanSpecs, formatPrice } from './format.ts';

/** `customers`: for resellers and admins, the tenants they may order for (their own first). */
type TProps = {
  plans: TPlan[]; templates: TTemplate[]; customers?: { id: string; name: string }[]; defaultTenantId?: string;
  /** The user's saved SSH keys (Account page), offered as ticks; the newest is ticked. */
  savedKeys?: TSshKey[];
};

/** Non-empty textarea lines, each with its 1-based line number for error messages. */
const readKeys = (text: string) =>
  text.split('\n').map((key, i) => ({ key: key.trim(), line: i + 1 })).filter((k) => k.key !== '');

export function CreateServerForm({ plans, templates, customers = [], defaultTenantId, savedKeys = [] }: TProps) {
  const router = useRouter();
  const [errors, setErrors] = useState<TFieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const describedBy = (f: TField, hint?: string) =>
    [hint, errors[f] ? `${f}-error` : undefined].filter(Boolean).join(' ') || undefined;

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const keys = readKeys(String(form.get('sshKeys') ?? ''));
    const rootPassword = String(form.get('rootPassword') ?? '');
    const sshKeyIds = form.getAll('sshKeyIds').map(String);
    setBusy(true);
    setErrors({});
    setFormError(null);
    const res = await callApi<{ server: TServer }>('/api/v1/servers', {
      method: 'POST',
      body: {
        hostname: String(form.get('hostname') ?? ''),
        planId: String(form.get('planId') ?? ''),
        templateId: String(form.get('templateId') ?? ''),
        ...(form.get('tenantId') ? { tenantId: String(form.get('tenantId')) } : {}),
        ...(keys.length ? { sshKeys: keys.map((k) => k.key) } : {}),
        ...(sshKeyIds.length ? { sshKeyIds } : {}),
        ...(rootPassword ? { rootPassword } : {}),
      },
    });
    if (res.ok) {
      router.push(`/servers/${res.data.server.id}`);
      return;
    }
    setBusy(false);
    if (res.status === 401) return router.replace('/login');
    if (res.problem.code === 'validation_failed') {
      const { fields, other } = mapFieldErrors(res.problem, keys.map((k) => k.line));
      setErrors(fields);
      setFormError(other.length ? other.join(' ') : Object.keys(fields).length ? null : problemMessage(res.problem));
    } else {
      setFormError(problemMessage(res.problem));
    }
  };

  return (
    <form className="stack card" onSubmit={onSubmit} noValidate>
      {formError && <p className="alert alert-error" role="alert">{formError}</p>}
      {Object.keys(errors).length > 0 && <p className="sr-only" role="alert">Some fields need attention.</p>}
      {customers.length > 1 && (
        <div className="field">
          <label htmlFor="tenantId">For</label>
          <select id="tenantId" name="tenantId" defaultValue={defaultTenantId}>
            {customers.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </div>
      )}

      <div className="field">
        <label htmlFor="hostname">Hostname</label>
        <input id="hostname" name="hostname" required autoComplete="off" spellCheck={false} placeholder="web-1.example.com"
          aria-invalid={!!errors.hostname} aria-describedby={describedBy('hostname', 'hostname-hint')} />
        <p id="hostname-hint" className="hint">Letters, digits and hyphens; dots between labels.</p>
        <FieldError id="hostname" messages={errors.hostname} />
      </div>

      <fieldset className="field" aria-invalid={!!errors.planId} aria-describedby={describedBy('planId')}>
        <legend>Plan</legend>
        <div className="plan-grid">
          {plans.map((p, i) => (
            <label key={p.id} className="plan-card">
              <input type="radio" name="planId" value={p.id} defaultChecked={i === 0} />
              <span className="plan-name">{p.name}</span>
              <span className="plan-specs">{formatPlanSpecs(p)}</span>
              <span className="plan-price">{formatPrice(p.priceCentsMonthly)}</span>
              <span className="muted small">{formatHourly(p.priceCentsHourly)} per hour, never more than the monthly price</span>
            </label>
          ))}
        </div>
        {plans.length === 0 && <p className="hint">No plans are on sale yet.</p>}
        <FieldError id="planId" messages={errors.planId} />
      </fieldset>

      <div className="field">
        <label htmlFor="templateId">Template</label>
        <select id="templateId" name="templateId" aria-invalid={!!errors.templateId} aria-describedby={describedBy('templateId')}>
          {templates.map((t) => <option key={t.id} value={t.id}>{t.label}</option>)}
        </select>
        <FieldError id="templateId" messages={errors.templateId} />
      </div>

      {savedKeys.length > 0 && (
        <fieldset className="field checks" aria-describedby="sshKeyIds-hint">
          <legend>Your saved SSH keys</legend>
          {savedKeys.map((k, i) => (
            <label key={k.id}>
              <input type="checkbox" name="sshKeyIds" value={k.id} defaultChecked={i === 0} />
              {k.name} <span className="mono muted small">{k.fingerprint}</span>
            </label>
          ))}
          <p id="sshKeyIds-hint" className="hint">Manage them on the Account page.</p>
        </fieldset>
      )}

      <div className="field">
        <label htmlFor="sshKeys">{savedKeys.length ? 'Other SSH public keys' : 'SSH public keys'}</label>
        <textarea id="sshKeys" name="sshKeys" rows={4} spellCheck={false} placeholder="ssh-ed25519 AAAA… you@laptop"
          aria-invalid={!!errors.sshKeys} aria-describedby={describedBy('sshKeys', 'sshKeys-hint')} />
        <p id="sshKeys-hint" className="hint">One key per line, as in ~/.ssh/id_ed25519.pub.</p>
        <FieldError id="sshKeys" messages={errors.sshKeys} />
      </div>

      <div className="field">
        <label htmlFor="rootPassword">Root password (optional)</label>
        <input id="rootPassword" name="rootPassword" type="password" autoComplete="new-password"
          aria-invalid={!!errors.rootPassword} aria-describedby={describedBy('rootPassword', 'rootPassword-hint')} />
        <p id="rootPassword-hint" className="hint">8–128 characters. Leave empty to sign in with SSH keys only.</p>
        <FieldError id="rootPassword" messages={errors.rootPassword} />
      </div>

      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? 'Creating…' : 'Create server'}</button>
      </div>
    </form>
  );
}
