'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import type { TSshKey } from '@berth/contracts';
import { callApi, problemMessage } from '../api-client.ts';

/** Saved SSH public keys, offered when ordering or reinstalling a server. */
export function SshKeysSection({ keys }: { keys: TSshKey[] }) {
  const router = useRouter();
  const [name, setName] = useState('');
  const [publicKey, setPublicKey] = useState('');
  const [error, setError] = useState<string | null>(null);

  const add = async () => {
    setError(null);
    const res = await callApi('/api/v1/ssh-keys', { method: 'POST', body: { name, publicKey } });
    if (!res.ok) return setError(res.problem.errors?.length ? res.problem.errors.map((e) => e.message).join('; ') : problemMessage(res.problem));
    setName('');
    setPublicKey('');
    router.refresh();
  };
  const remove = async (id: string) => {
    const res = await callApi(`/api/v1/ssh-keys/${id}`, { method: 'DELETE' });
    if (!res.ok) setError(problemMessage(res.problem));
    router.refresh();
  };

  return (
    <section className="card stack-sm" aria-labelledby="ssh-title">
      <h2 id="ssh-title">SSH keys</h2>
      {error && <p className="alert alert-error" role="alert">{error}</p>}
      {keys.length === 0 ? <p>No saved SSH keys.</p> : (
        <ul className="stack-sm" aria-label="SSH keys">
          {keys.map((k) => (
            <li key={k.id}>
              <strong>{k.name}</strong> <code>{k.fingerprint}</code>{' '}
              <button type="button" className="btn btn-small" onClick={() => remove(k.id)} aria-label={`Remove ${k.name}`}>Remove</button>
            </li>
          ))}
        </ul>
      )}
      <form className="stack-sm" onSubmit={(e) => { e.preventDefault(); void add(); }}>
        <label htmlFor="ssh-name">Name</label>
        <input id="ssh-name" value={name} onChange={(e) => setName(e.target.value)} required />
        <label htmlFor="ssh-key">Public key</label>
        <textarea id="ssh-key" value={publicKey} onChange={(e) => setPublicKey(e.target.value)} rows={3} placeholder="ssh-ed25519 AAAA… you@laptop" required />
        <button type="submit" className="btn" disabled={!name || !publicKey}>Add key</button>
      </form>
    </section>
  );
}
