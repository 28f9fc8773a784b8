'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import type { TApiKey } from '@berth/contracts';
import { callApi, problemMessage } from '../api-client.ts';
import { CopyButton } from '../copy-button.tsx';

type TProps = { keys: TApiKey[]; grantable: string[] };

/** Issue (shown once), list and revoke the person's API keys. */
export function ApiKeysSection({ keys, grantable }: TProps) {
  const router = useRouter();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(grantable.filter((s) => s.startsWith('servers:')));
  const [expires, setExpires] = useState('');
  const [ips, setIps] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const create = async () => {
    setError(null);
    const body = {
      name, scopes,
      ...(expires ? { expiresAt: new Date(`${expires}T23:59:59Z`).toISOString() } : {}),
      ...(ips.trim() ? { allowedIps: ips.split(/[\s,]+/).filter(Boolean) } : {}),
    };
    const res = await callApi<{ key: string }>('/api/v1/api-keys', { method: 'POST', body });
    if (!res.ok) return setError(res.problem.errors?.length ? res.problem.errors.map((e) => `${e.path}: ${e.message}`).join('; ') : problemMessage(res.problem));
    setCreated(res.data.key);
    setName('');
    router.refresh();
  };
  const revoke = async (id: string) => {
    const res = await callApi(`/api/v1/api-keys/${id}`, { method: 'DELETE' });
    if (!res.ok) setError(problemMessage(res.problem));
    router.refresh();
  };

  return (
    <section className="card stack-sm" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      {error && <p className="alert alert-error" role="alert">{error}</p>}
      {created && (
        <div className="alert" role="status">
          <p>Your new key, shown only now: <code aria-label="New API key">{created}</code> <CopyButton text={created} label="Copy key" /></p>
        </div>
      )}
      {keys.length === 0 ? <p>No API keys yet.</p> : (
        <table className="table" aria-label="API keys">
          <thead><tr><th>Name</th><th>Key</th><th>Scopes</th><th>Expires</th><th>Last used</th><th /></tr></thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td><td><code>{k.prefix}…</code></td><td>{k.scopes.join(', ')}{k.allowedIps.length ? ` · from ${k.allowedIps.join(', ')}` : ''}</td>
                <td>{k.expiresAt ? new Date(k.expiresAt).toLocaleDateString() : 'never'}</td>
                <td>{k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : 'never'}</td>
                <td><button type="button" className="btn btn-small btn-danger" onClick={() => revoke(k.id)} aria-label={`Revoke ${k.name}`}>Revoke</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="stack-sm" onSubmit={(e) => { e.preventDefault(); void create(); }}>
        <h3>New key</h3>
        <label htmlFor="key-name">Name</label>
        <input id="key-name" value={name} onChange={(e) => setName(e.target.value)} required />
        <fieldset className="checks">
          <legend>Scopes</legend>
          {grantable.map((s) => (
            <label key={s}>
              <input type="checkbox" checked={scopes.includes(s)} onChange={(e) => setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))} /> {s}
            </label>
          ))}
        </fieldset>
        <label htmlFor="key-expires">Expires (optional)</label>
        <input id="key-expires" type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
        <label htmlFor="key-ips">Allowed addresses (optional, IPs or CIDRs)</label>
        <input id="key-ips" value={ips} onChange={(e) => setIps(e.target.value)} placeholder="203.0.113.0/24, 2001:db8::/32" />
        <button type="submit" className="btn btn-primary" disabled={!name || scopes.length === 0}>Create key</button>
      </form>
    </section>
  );
}
