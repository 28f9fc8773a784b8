import Link from 'next/link';
import { hasScope, listPlans, listSshKeys, listTemplates, listTenants } from '@berth/core';
import { CreateServerForm } from '../../../../../components/create-server-form.tsx';
import { requireSession } from '../../../../../server/ui-session.ts';

export const metadata = { title: 'New server' };

export default async function NewServerPage({ searchParams }: { searchParams: Promise<{ for?: string }> }) {
  const { db, principal } = await requireSession();
  const [plans, templates, keys] = await Promise.all([
    listPlans({ db, principal }), listTemplates({ db, principal }),
    hasScope(principal, 'account:read') ? listSshKeys({ db, principal, query: { limit: 50 } }) : Promise.resolve({ data: [] }),
  ]);
  // Resellers (and admins) may order for their customers: own tenant first, then its customer tenants.
  const customers = principal.role === 'customer' ? [] : [
    { id: principal.tenantId, name: 'My own account' },
    ...(await listTenants({ db, principal, query: { limit: 200, parentId: principal.tenantId } })).data.map((t) => ({ id: t.id, name: t.name })),
  ];
  const wanted = (await searchParams).for;
  return (
    <div className="narrow">
      <p className="crumbs"><Link href="/servers">Servers</Link> / New</p>
      <h1>New server</h1>
      <CreateServerForm plans={plans.data} templates={templates.data} customers={customers} savedKeys={keys.data}
        defaultTenantId={customers.some((c) => c.id === wanted) ? wanted : principal.tenantId} />
    </div>
  );
}
