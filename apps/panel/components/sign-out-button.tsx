'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { callApi } from './api-client.ts';

export function SignOutButton() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const signOut = async () => {
    setBusy(true);
    await callApi('/api/auth/logout', { method: 'POST' });
    // Whatever the answer, leave the signed-in pages; /login shows the form again if the cookie is gone.
    router.replace('/login');
    router.refresh();
  };
  return (
    <button type="button" className="btn btn-ghost" onClick={signOut} disabled={busy}>
      {busy ? 'Signing out…' : 'Sign out'}
    </button>
  );
}
