import Link from 'next/link';
import { listPlans, listTemplates } from '@berth/core';
import { CreateServerForm } from '../../../../../components/create-server-form.tsx';
import { requireSession } from '../../../../../server/ui-session.ts';

export const metadata = { title: 'New server' };

export default async function NewServerPage() {
  const { db, principal } = await requireSession();
  const [plans, templates] = await Promise.all([listPlans({ db, principal }), listTemplates({ db, principal })]);
  return (
    <div className="narrow">
      <p className="crumbs"><Link href="/servers">Servers</Link> / New</p>
      <h1>New server</h1>
      <CreateServerForm plans={plans.data} templates={templates.data} />
    </div>
  );
}
