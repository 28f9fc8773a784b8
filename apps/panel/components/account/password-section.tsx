'use client';
import { useState } from 'react';
import { callApi, problemMessage } from '../api-client.ts';

/** Change the password; the server asks for the current one and signs out every other session. */
export function PasswordSection() {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [fieldError, setFieldError] = useState<Record<string, string>>({});
  return (
    <form className="card stack-sm" aria-labelledby="password-title" onSubmit={async (e) => {
      e.preventDefault();
      const form = e.currentTarget;
      const data = new FormData(form);
      setMessage(null);
      setFieldError({});
      const res = await callApi('/api/v1/account/password', { method: 'POST', body: { current: String(data.get('current') ?? ''), next: String(data.get('next') ?? '') } });
      if (res.ok) { form.reset(); return setMessage({ ok: true, text: 'Password changed; your other sessions were signed out.' }); }
      const fields = Object.fromEntries((res.problem.errors ?? []).map((x) => [x.path, x.message]));
      setFieldError(fields);
      if (!Object.keys(fields).length) setMessage({ ok: false, text: problemMessage(res.problem) });
    }}>
      <h2 id="password-title">Password</h2>
      {message && <p className={message.ok ? 'alert' : 'alert alert-error'} role={message.ok ? 'status' : 'alert'}>{message.text}</p>}
      <label htmlFor="pw-current">Current password</label>
      <input id="pw-current" name="current" type="password" autoComplete="current-password" aria-invalid={!!fieldError.current} aria-describedby={fieldError.current ? 'pw-current-error' : undefined} />
      {fieldError.current && <p id="pw-current-error" className="field-error">{fieldError.current}</p>}
      <label htmlFor="pw-next">New password (12 characters or more)</label>
      <input id="pw-next" name="next" type="password" autoComplete="new-password" aria-invalid={!!fieldError.next} aria-describedby={fieldError.next ? 'pw-next-error' : undefined} />
      {fieldError.next && <p id="pw-next-error" className="field-error">{fieldError.next}</p>}
      <div className="section-actions"><button type="submit" className="btn">Change password</button></div>
    </form>
  );
}
