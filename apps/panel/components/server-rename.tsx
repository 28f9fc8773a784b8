'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { callApi, problemMessage } from './api-client.ts';

/** Rename a server (the container takes the name at its next start). */
export function ServerRename({ serverId, hostname }: { serverId: string; hostname: string }) {
  const router = useRouter();
  const [value, setValue] = useState(hostname);
  const [error, setError] = useState<string | null>(null);
  return (
    <form className="stack-sm" onSubmit={async (e) => {
      e.preventDefault();
      setError(null);
      const res = await callApi(`/api/v1/servers/${serverId}`, { method: 'PATCH', body: { hostname: value } });
      if (!res.ok) return setError(res.problem.errors?.[0]?.message ?? problemMessage(res.problem));
      router.refresh();
    }}>
      <label htmlFor="rename">Hostname</label>
      <input id="rename" value={value} onChange={(e) => setValue(e.target.value)} aria-invalid={!!error} aria-describedby={error ? 'rename-error' : undefined} spellCheck={false} />
      {error && <p id="rename-error" className="field-error">{error}</p>}
      <div className="section-actions"><button type="submit" className="btn" disabled={value === hostname}>Rename</button></div>
    </form>
  );
}
