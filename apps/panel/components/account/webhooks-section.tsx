'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import type { TWebhook } from '@berth/contracts';
import { callApi, problemMessage } from '../api-client.ts';
import { CopyButton } from '../copy-button.tsx';

/** The tenant's webhooks: add (the signing secret is shown once), send a test, remove. */
export function WebhooksSection({ hooks }: { hooks: TWebhook[] }) {
  const router = useRouter();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState('server.*, operation.*');
  const [secret, setSecret] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const act = async (path: string, method: string, body?: unknown) => {
    setError(null);
    setMessage(null);
    const res = await callApi<{ secret?: string }>(path, { method, body });
    if (!res.ok) {
      setError(res.problem.errors?.length ? res.problem.errors.map((e) => `${e.path}: ${e.message}`).join('; ') : problemMessage(res.problem));
      return null;
    }
    router.refresh();
    return res.data ?? {};
  };
  return (
    <section className="card stack-sm" aria-labelledby="hooks-title">
      <h2 id="hooks-title">Webhooks</h2>
      {error && <p className="alert alert-error" role="alert">{error}</p>}
      {message && <p className="alert" role="status">{message}</p>}
      {secret && <p className="alert" role="status">Signing secret, shown only now: <code aria-label="Webhook secret">{secret}</code> <CopyButton text={secret} label="Copy secret" /></p>}
      {hooks.length === 0 ? <p>No webhooks.</p> : (
        <ul className="stack-sm" aria-label="Webhooks">
          {hooks.map((h) => (
            <li key={h.id}>
              <code>{h.url}</code> <span className="muted small">{h.events.join(', ')}</span>{' '}
              <button type="button" className="btn btn-small" onClick={async () => (await act(`/api/v1/webhooks/${h.id}/test`, 'POST')) && setMessage('Test event queued.')}>Send test</button>{' '}
              <button type="button" className="btn btn-small btn-danger" aria-label={`Remove ${h.url}`} onClick={() => void act(`/api/v1/webhooks/${h.id}`, 'DELETE')}>Remove</button>
            </li>
          ))}
        </ul>
      )}
      <form className="stack-sm" onSubmit={async (e) => {
        e.preventDefault();
        const r = await act('/api/v1/webhooks', 'POST', { url, events: events.split(/[\s,]+/).filter(Boolean) });
        if (r?.secret) { setSecret(r.secret); setUrl(''); }
      }}>
        <label htmlFor="hook-url">URL</label>
        <input id="hook-url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.com/berth-events" required />
        <label htmlFor="hook-events">Events</label>
        <input id="hook-events" value={events} onChange={(e) => setEvents(e.target.value)} />
        <p className="hint">Names like server.created, or server.*, operation.*, invoice.*; signed with HMAC-SHA256 (Berth-Signature).</p>
        <div className="section-actions"><button type="submit" className="btn" disabled={!url}>Add webhook</button></div>
      </form>
    </section>
  );
}
