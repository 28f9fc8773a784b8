'use client';
import { useState, type FormEvent } from 'react';
import { useRouter } from 'next/navigation';
import { callApi, problemMessage } from './api-client.ts';

export function LoginForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Shown once the server says this account has two-factor sign-in on.
  const [needCode, setNeedCode] = useState(false);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    const code = String(form.get('code') ?? '').trim();
    const res = await callApi('/api/auth/login', {
      method: 'POST',
      body: {
        email: String(form.get('email') ?? ''), password: String(form.get('password') ?? ''),
        ...(code ? (/^\d{6}$/.test(code) ? { totp: code } : { recoveryCode: code }) : {}),
      },
    });
    if (res.ok) {
      router.replace('/servers');
      router.refresh();
      return;
    }
    setBusy(false);
    if (res.problem.code === 'mfa_required') {
      setNeedCode(true);
      setError(null);
      return;
    }
    setError(res.problem.code === 'validation_failed' ? 'Enter your email and password.' : problemMessage(res.problem));
  };

  return (
    <form className="stack" onSubmit={onSubmit} aria-describedby={error ? 'login-error' : undefined} noValidate>
      {error && <p id="login-error" className="alert alert-error" role="alert">{error}</p>}
      <div className="field">
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="username" required autoFocus />
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
      </div>
      {needCode && (
        <div className="field">
          <label htmlFor="code">Authentication code</label>
          <input id="code" name="code" inputMode="numeric" autoComplete="one-time-code" required autoFocus aria-describedby="code-hint" />
          <p id="code-hint" className="hint">The 6 digits from your authenticator app, or one of your recovery codes.</p>
        </div>
      )}
      <button type="submit" className="btn btn-primary btn-block" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
    </form>
  );
}
