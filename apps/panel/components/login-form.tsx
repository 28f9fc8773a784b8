'use client';
import { useState, type FormEvent } from 'react';
import { useRouter } from 'next/navigation';
import { callApi, problemMessage } from './api-client.ts';

export function LoginForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    const res = await callApi('/api/auth/login', {
      method: 'POST',
      body: { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') },
    });
    if (res.ok) {
      router.replace('/servers');
      router.refresh();
      return;
    }
    setBusy(false);
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
      <button type="submit" className="btn btn-primary btn-block" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
    </form>
  );
}
