import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { TQuotas } from '@berth/contracts';
import { listTenants, listUsers } from '@berth/core';
import { AdminNav } from '../../../../../components/admin-nav.tsx';
import { formatDate, formatMemory } from '../../../../../components/format.ts';
import { NewCustomerForm } from '../../../../../components/new-customer-form.tsx';
import { requireSession } from '../../../../../server/ui-session.ts';

export const metadata = { title: 'Tenants and users' };

const quotaText = (q: TQuotas) => {
  const parts = [
    q.maxServers !== null && `${q.maxServers} servers`, q.maxCpuCores !== null && `${q.maxCpuCores} vCPU`,
    q.maxMemoryMb !== null && formatMemory(q.maxMemoryMb), q.maxDiskGb !== null && `${q.maxDiskGb} GB disk`, q.maxIps !== null && `${q.maxIps} IPs`,
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'unlimited';
};

/** Admins: the newest tenants (resellers' customers under their reseller) and logins, and a form to add one. */
export default async function AdminTenantsPage() {
  const { db, principal } = await requireSession();
  if (principal.role !== 'admin') notFound();
  const [tenants, users] = await Promise.all([
    listTenants({ db, principal, query: { limit: 200 } }),
    listUsers({ db, principal, query: { limit: 200 } }),
  ]);
  const name = new Map(tenants.data.map((t) => [t.id, t.name]));
  return (
    <div className="stack">
      <div className="page-head"><h1>Tenants and users</h1></div>
      <AdminNav current="tenants" />
      <section className="card table-card" aria-labelledby="tenants-title">
        <h2 id="tenants-title" className="table-title">Tenants</h2>
        <table className="table" aria-label="Tenants">
          <thead><tr><th scope="col">Tenant</th><th scope="col">Reseller</th><th scope="col">Quotas</th><th scope="col">Billing</th><th scope="col">Private network</th><th scope="col">Created</th><th scope="col" /></tr></thead>
          <tbody>
            {tenants.data.map((t) => (
              <tr key={t.id}>
                <td><span className="strong">{t.name}</span> <span className="mono muted small">{t.id}</span></td>
                <td className="small">{t.parentId ? (name.get(t.parentId) ?? <span className="mono">{t.parentId}</span>) : '—'}</td>
                <td className="small">{quotaText(t.quotas)}</td>
                <td className="small">{t.billingMode}, {t.currency}</td>
                <td className="small">{t.privateNetwork ? 'on' : 'off'}</td>
                <td className="muted small">{formatDate(t.createdAt)}</td>
                <td className="button-row">
                  <Link href={`/servers?tenantId=${t.id}`} className="btn btn-small">Servers</Link>
                  <Link href={`/billing?tenantId=${t.id}`} className="btn btn-small" aria-label={`Billing of ${t.name}`}>Billing</Link>
                  <Link href={`/billing/prices?resellerId=${t.id}`} className="btn btn-small" aria-label={`Prices of ${t.name}`}>Prices</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {tenants.nextCursor && <p className="muted small table-foot">Showing the first {tenants.data.length}; the API pages through the rest.</p>}
      </section>
      <section className="card table-card" aria-labelledby="users-title">
        <h2 id="users-title" className="table-title">Users</h2>
        <table className="table" aria-label="Users">
          <thead><tr><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Tenant</th><th scope="col">Created</th></tr></thead>
          <tbody>
            {users.data.map((u) => (
              <tr key={u.id}>
                <td className="mono small">{u.email}</td>
                <td>{u.name}</td>
                <td className="small">{u.role}{u.subUser ? ' (sub-user)' : ''}</td>
                <td className="small">{name.get(u.tenantId) ?? <span className="mono">{u.tenantId}</span>}</td>
                <td className="muted small">{formatDate(u.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {users.nextCursor && <p className="muted small table-foot">Showing the first {users.data.length}; the API pages through the rest.</p>}
      </section>
      <NewCustomerForm allowReseller />
    </div>
  );
}
