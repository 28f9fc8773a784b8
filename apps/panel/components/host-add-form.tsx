'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import type { THostInstall } from '@berth/contracts';
import { callApi } from './api-client.ts';
import { FieldError } from './field-error.tsx';
import { problemFields, type TFieldMessages } from './problem-fields.ts';

const FIELDS = ['name', 'address', 'sshUser', 'sshPort', 'password', 'privateKey', 'installDir', 'dataDir', 'lxcPath'] as const;

/** The SSH login the installer uses: a password or a private key, never kept past the install. */
export const sshLogin = (form: FormData) => {
  const secret = String(form.get('secret') ?? '');
  const kind = String(form.get('auth') ?? 'privateKey');
  const port = String(form.get('sshPort') ?? '').trim();
  return {
    sshUser: String(form.get('sshUser') ?? '').trim() || 'root',
    ...(port ? { sshPort: Number(port) } : {}),
    ...(kind === 'password' ? { password: secret } : { privateKey: secret }),
  };
};

/** The SSH fields shared by "add a host" and "install again". */
export function SshLoginFields({ idPrefix, errors }: { idPrefix: string; errors: TFieldMessages }) {
  const [auth, setAuth] = useState<'privateKey' | 'password'>('privateKey');
  return (
    <>
      <div className="form-grid">
        <span className="field">
          <label htmlFor={`${idPrefix}-user`}>SSH user</label>
          <input id={`${idPrefix}-user`} name="sshUser" defaultValue="root" aria-describedby={`${idPrefix}-user-error`} />
          <FieldError id={`${idPrefix}-user`} messages={errors.sshUser} />
        </span>
        <span className="field">
          <label htmlFor={`${idPrefix}-port`}>SSH port</label>
          <input id={`${idPrefix}-port`} name="sshPort" type="number" min={1} max={65535} defaultValue={22} aria-describedby={`${idPrefix}-port-error`} />
          <FieldError id={`${idPrefix}-port`} messages={errors.sshPort} />
        </span>
      </div>
      <label htmlFor={`${idPrefix}-auth`}>Log in with</label>
      <select id={`${idPrefix}-auth`} name="auth" value={auth} onChange={(e) => setAuth(e.target.value as typeof auth)}>
        <option value="privateKey">a private key</option>
        <option value="password">a password</option>
      </select>
      <label htmlFor={`${idPrefix}-secret`}>{auth === 'password' ? 'Password' : 'Private key (OpenSSH or PEM)'}</label>
      {auth === 'password'
        ? <input id={`${idPrefix}-secret`} name="secret" type="password" required aria-describedby={`${idPrefix}-secret-error`} />
        : <textarea id={`${idPrefix}-secret`} name="secret" rows={4} required className="mono" aria-describedby={`${idPrefix}-secret-error`} />}
      <FieldError id={`${idPrefix}-secret`} messages={[...(errors.password ?? []), ...(errors.privateKey ?? [])]} />
      <p className="small muted">Used once by the installer and then erased; the panel keeps no SSH access to the host.</p>
    </>
  );
}

/**
 * Admins add a machine: the worker logs in over SSH, installs the packages and the agent, prepares the host
 * and starts the agent; the host card follows the install until the first heartbeat.
 */
export function HostAddForm() {
  const router = useRouter();
  const [errors, setErrors] = useState<TFieldMessages>({});
  const [other, setOther] = useState<string[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (form: FormData) => {
    setBusy(true);
    setErrors({});
    setOther([]);
    setDone(null);
    const text = (k: string) => String(form.get(k) ?? '').trim();
    const dirs = Object.fromEntries(['installDir', 'dataDir', 'lxcPath'].map((k) => [k, text(k)]).filter(([, v]) => v));
    const res = await callApi<{ install: THostInstall }>('/api/v1/hosts', {
      method: 'POST', body: { name: text('name'), address: text('address'), ...sshLogin(form), ...dirs },
    });
    setBusy(false);
    if (!res.ok) {
      const p = problemFields(res.problem, FIELDS);
      setErrors(p.fields);
      return setOther(p.other);
    }
    setDone(`Installing the agent on ${text('name')}: follow it on its card below.`);
    router.refresh();
  };

  return (
    <form className="card stack-sm" aria-labelledby="add-host-title" onSubmit={(e) => { e.preventDefault(); void submit(new FormData(e.currentTarget)); }}>
      <h2 id="add-host-title">Add a host</h2>
      <p className="small muted">A Debian 12 machine reachable over SSH as root. Its VPSes share an IPv4 pool&apos;s L2 with the hosts on that pool.</p>
      {other.map((m) => <p key={m} className="alert alert-error" role="alert">{m}</p>)}
      {done && <p className="alert" role="status">{done}</p>}
      <div className="form-grid">
        <span className="field">
          <label htmlFor="host-name">Name</label>
          <input id="host-name" name="name" required placeholder="node2" aria-describedby="host-name-error" />
          <FieldError id="host-name" messages={errors.name} />
        </span>
        <span className="field">
          <label htmlFor="host-address">Address (SSH, console and migrations)</label>
          <input id="host-address" name="address" required placeholder="203.0.113.7" aria-describedby="host-address-error" />
          <FieldError id="host-address" messages={errors.address} />
        </span>
      </div>
      <SshLoginFields idPrefix="host" errors={errors} />
      <details>
        <summary className="small">Directories on the host</summary>
        {(['installDir', 'dataDir', 'lxcPath'] as const).map((k) => (
          <span key={k} className="field">
            <label htmlFor={`host-${k}`}>{{ installDir: 'Agent install directory', dataDir: 'Data (image pool)', lxcPath: 'LXC path' }[k]}</label>
            <input id={`host-${k}`} name={k} placeholder={{ installDir: '/opt/berth-agent', dataDir: '/var/lib/berth', lxcPath: '/var/lib/berth/lxc' }[k]} aria-describedby={`host-${k}-error`} />
            <FieldError id={`host-${k}`} messages={errors[k]} />
          </span>
        ))}
      </details>
      <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? 'Adding…' : 'Add host and install its agent'}</button>
    </form>
  );
}
