'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import type { TTenant } from '@berth/contracts';
import { callApi, problemMessage } from './api-client.ts';

/**
 * A reseller adds a customer: a tenant under it, and that customer's first login. Admins (allowReseller)
 * add top-level tenants and may make the login a reseller's.
 */
export function NewCustomerForm({ allowReseller = false }: { allowReseller?: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (form: FormData) => {
    setBusy(true);
    setError(null);
    setDone(null);
    const maxServers = String(form.get('maxServers') ?? '').trim();
    const tenant = await callApi<TTenant>('/api/v1/tenants', {
      method: 'POST', body: { name: String(form.get('name') ?? ''), ...(maxServers ? { quotas: { maxServers: Number(maxServers) } } : {}) },
    });
    if (!tenant.ok) { setBusy(false); return setError(problemMessage(tenant.problem)); }
    const user = await callApi('/api/v1/users', {
      method: 'POST',
      body: {
        tenantId: tenant.data.id, name: String(form.get('name') ?? ''), email: String(form.get('email') ?? ''), password: String(form.get('password') ?? ''),
        ...(allowReseller ? { role: String(form.get('role') ?? 'customer') } : {}),
      },
    });
    setBusy(false);
    if (!user.ok) return setError(problemMessage(user.problem));
    setDone(`${tenant.data.name} can now sign in.`);
    router.refresh();
  };

  return (
    <form className="card stack-sm" aria-labelledby="new-customer-title" onSubmit={(e) => { e.preventDefault(); void submit(new FormData(e.currentTarget)); }}>
      <h2 id="new-customer-title">New customer</h2>
      {error && <p className="alert alert-error" role="alert">{error}</p>}
      {done && <p className="alert" role="status">{done}</p>}
      <label htmlFor="customer-name">Name</label>
      <input id="customer-name" name="name" required />
      <label htmlFor="customer-email">Email</label>
      <input id="customer-email" name="email" type="email" required />
      <label htmlFor="customer-password">Password (12 characters or more)</label>
      <input id="customer-password" name="password" type="password" required minLength={12} />
      <label htmlFor="customer-quota">Servers allowed (empty: unlimited)</label>
      <input id="customer-quota" name="maxServers" type="number" min={0} />
      {allowReseller && (
        <>
          <label htmlFor="customer-role">Kind of account</label>
          <select id="customer-role" name="role" defaultValue="customer">
            <option value="customer">Customer</option>
            <option value="reseller">Reseller (sells to its own customers)</option>
          </select>
        </>
      )}
      <button type="submit" className="btn btn-primary" disabled={busy}>Add customer</button>
    </form>
  );
}
