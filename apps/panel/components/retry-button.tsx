'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { RETRYABLE_OPERATIONS } from '@berth/contracts';
import { callApi, problemMessage } from './api-client.ts';

export function RetryButton({ operationId, type }: { operationId: string; type: string }) {
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!(RETRYABLE_OPERATIONS as readonly string[]).includes(type)) return <span className="muted small">ask again</span>;
  return (
    <span className="stack-sm">
      <button type="button" className="btn btn-small" disabled={busy} aria-label={`Retry ${operationId}`} onClick={async () => {
        setBusy(true);
        const r = await callApi(`/api/v1/operations/${operationId}/retry`, { method: 'POST' });
        setBusy(false);
        setMessage(r.ok ? 'Queued again.' : problemMessage(r.problem));
        router.refresh();
      }}>Retry</button>
      {message && <span className="small" role="status">{message}</span>}
    </span>
  );
}
