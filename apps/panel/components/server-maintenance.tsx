'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import type { TPlan, TServerStatus, TTemplate } from '@berth/contracts';
import { callApi, problemMessage } from './api-client.ts';
import { formatPlanSpecs, formatPrice } from './format.ts';

type TProps = {
  serverId: string;
  hostname: string;
  status: TServerStatus;
  planId: string;
  templateId: string;
  plans: TPlan[];
  templates: TTemplate[];
};

/** Change plan (live resize) and reinstall; the API decides, these only offer what can work. */
export function ServerMaintenance({ serverId, hostname, status, planId, templateId, plans, templates }: TProps) {
  const router = useRouter();
  const current = plans.find((p) => p.id === planId);
  const [target, setTarget] = useState('');
  const [template, setTemplate] = useState(templateId);
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const settled = status === 'running' || status === 'stopped';

  const post = async (name: string, path: string, body: unknown) => {
    setBusy(name);
    setMessage(null);
    const res = await callApi(path, { method: 'POST', body });
    setBusy(null);
    if (!res.ok && res.status === 401) return router.replace('/login');
    if (!res.ok) setMessage(problemMessage(res.problem));
    else setConfirm('');
    router.refresh();
  };

  return (
    <div className="stack-sm">
      <form className="stack-sm" onSubmit={(e) => { e.preventDefault(); void post('resize', `/api/v1/servers/${serverId}/resize`, { planId: target }); }}>
        <label htmlFor="resize-plan">Change plan (applied live, no reboot; a smaller disk needs the server stopped)</label>
        <select id="resize-plan" value={target} onChange={(e) => setTarget(e.target.value)}>
          <option value="">Choose a plan…</option>
          {plans.filter((p) => p.id !== planId && p.active).map((p) => (
            <option key={p.id} value={p.id} disabled={!!current && p.diskGb < current.diskGb && status !== 'stopped'}>
              {p.name} · {formatPlanSpecs(p)} · {formatPrice(p.priceCentsMonthly)}{current && p.diskGb < current.diskGb ? (status === 'stopped' ? ' (shrinks the disk)' : ' (stop the server to shrink its disk)') : ''}
            </option>
          ))}
        </select>
        <button type="submit" className="btn" disabled={!!busy || !settled || !target}>{busy === 'resize' ? 'Changing plan…' : 'Change plan'}</button>
      </form>
      <form className="stack-sm" onSubmit={(e) => { e.preventDefault(); void post('reinstall', `/api/v1/servers/${serverId}/reinstall`, { templateId: template }); }}>
        <label htmlFor="reinstall-template">Reinstall (erases the disk; IP and plan stay)</label>
        <select id="reinstall-template" value={template} onChange={(e) => setTemplate(e.target.value)}>
          {templates.map((t) => <option key={t.id} value={t.id}>{t.label}</option>)}
        </select>
        <label htmlFor="reinstall-confirm">Type <strong>{hostname}</strong> to confirm</label>
        <input id="reinstall-confirm" value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" />
        <button type="submit" className="btn btn-danger" disabled={!!busy || !settled || confirm !== hostname}>
          {busy === 'reinstall' ? 'Reinstalling…' : 'Reinstall'}
        </button>
      </form>
      {message && <p className="alert alert-error" role="alert">{message}</p>}
    </div>
  );
}
