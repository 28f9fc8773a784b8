'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { callApi, problemMessage } from '../api-client.ts';

type TBegin = { secret: string; otpauthUri: string };

/** Turn TOTP on (secret for the app, confirm with a code, recovery codes shown once) or off. */
export function TwoFactorSection({ enabled }: { enabled: boolean }) {
  const router = useRouter();
  const [begun, setBegun] = useState<TBegin | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  /** POST; the answer's body, or undefined after showing the problem. */
  const run = async <T,>(path: string, body?: unknown): Promise<{ data: T } | undefined> => {
    setBusy(true);
    setError(null);
    const res = await callApi<T>(path, { method: 'POST', body });
    setBusy(false);
    if (!res.ok) {
      setError(problemMessage(res.problem));
      return undefined;
    }
    return { data: res.data };
  };

  return (
    <section className="card stack-sm" aria-labelledby="tfa-title">
      <h2 id="tfa-title">Two-factor sign-in</h2>
      {error && <p className="alert alert-error" role="alert">{error}</p>}
      {codes ? (
        <div className="stack-sm">
          <p><strong>Two-factor sign-in is on.</strong> Keep these recovery codes somewhere safe; each works once, and they are not shown again.</p>
          <pre aria-label="Recovery codes">{codes.join('\n')}</pre>
          <button type="button" className="btn" onClick={() => { setCodes(null); router.refresh(); }}>I saved them</button>
        </div>
      ) : enabled ? (
        <form className="stack-sm" onSubmit={async (e) => {
          e.preventDefault();
          if (await run('/api/v1/account/totp/disable', { code })) { setCode(''); router.refresh(); }
        }}>
          <p>Two-factor sign-in is <strong>on</strong>.</p>
          <label htmlFor="tfa-off-code">Code (or a recovery code) to turn it off</label>
          <input id="tfa-off-code" value={code} onChange={(e) => setCode(e.target.value)} autoComplete="one-time-code" />
          <button type="submit" className="btn btn-danger" disabled={busy || !code}>Turn off</button>
        </form>
      ) : begun ? (
        <form className="stack-sm" onSubmit={async (e) => {
          e.preventDefault();
          const r = await run<{ recoveryCodes: string[] }>('/api/v1/account/totp/confirm', { code });
          if (r) { setCodes(r.data.recoveryCodes); setBegun(null); setCode(''); }
        }}>
          <p>Add this key to your authenticator app (or open the link on your phone), then enter the 6-digit code it shows.</p>
          <p>Key: <code aria-label="TOTP key">{begun.secret}</code> · <a href={begun.otpauthUri}>open in app</a></p>
          <label htmlFor="tfa-code">Code from the app</label>
          <input id="tfa-code" value={code} onChange={(e) => setCode(e.target.value)} inputMode="numeric" autoComplete="one-time-code" />
          <button type="submit" className="btn btn-primary" disabled={busy || !code}>Turn on</button>
        </form>
      ) : (
        <div className="stack-sm">
          <p>Two-factor sign-in is <strong>off</strong>. With it on, signing in also needs a code from an authenticator app.</p>
          <div className="section-actions"><button type="button" className="btn btn-primary" disabled={busy} onClick={async () => setBegun((await run<TBegin>('/api/v1/account/totp'))?.data ?? null)}>Set up two-factor sign-in</button></div>
        </div>
      )}
    </section>
  );
}
