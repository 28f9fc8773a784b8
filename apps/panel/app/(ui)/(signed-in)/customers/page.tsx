import Link from 'next/link';
import { notFound } from 'next/navigation';
import { listServers, listTenants } from '@berth/core';
import { NewCustomerForm } from '../../../../components/new-customer-form.tsx';
import { requireSession } from '../../../../server/ui-session.ts';

export const metadata = { title: 'Customers' };

/** Resellers: their customers (tenants under them), with quotas and servers, and a form to add one. */
export default async function CustomersPage() {
  const { db, principal } = await requireSession();
  if (principal.role !== 'reseller') notFound();
  const [tenants, servers] = await Promise.all([
    listTenants({ db, principal, query: { limit: 200, parentId: principal.tenantId } }),
    listServers({ db, principal, query: { limit: 200 } }),
  ]);
  return (
    <div className="stack">
      <div className="page-head"><h1>Customers</h1></div>
      {tenants.data.length === 0 ? <div className="card"><p className="muted">No customers yet: add the first below.</p></div> : (
        <div className="card table-card">
          <table className="table" aria-label="Customers">
            <thead><tr><th>Customer</th><th>Servers</th><th>Quota</th><th /></tr></thead>
            <tbody>
              {tenants.data.map((t) => (
                <tr key={t.id}>
                  <td className="strong">{t.name}</td>
                  <td>{servers.data.filter((s) => s.tenantId === t.id).map((s) => <Link key={s.id} href={`/servers/${s.id}`} className="mono small">{s.hostname} </Link>)}</td>
                  <td className="muted small">{t.quotas.maxServers === null ? 'unlimited' : `${t.quotas.maxServers} servers`}</td>
                  <td className="button-row">
                    <Link href={`/servers/new?for=${t.id}`} className="btn btn-small">Order a server</Link>
                    <Link href={`/billing?tenantId=${t.id}`} className="btn btn-small" aria-label={`Billing of ${t.name}`}>Billing</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <NewCustomerForm />
    </div>
  );
}
