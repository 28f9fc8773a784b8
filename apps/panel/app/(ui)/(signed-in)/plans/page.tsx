import Link from 'next/link';
import { notFound } from 'next/navigation';
import { listPlans, listTemplates } from '@berth/core';
import { NewPlanForm } from '../../../../components/catalog/new-plan-form.tsx';
import { PlanRowActions } from '../../../../components/catalog/plan-row-actions.tsx';
import { NewTemplateForm, TemplateToggle } from '../../../../components/catalog/template-admin.tsx';
import { formatCores, formatDate, formatMemory, formatPrice } from '../../../../components/format.ts';
import { requireSession } from '../../../../server/ui-session.ts';

export const metadata = { title: 'Plans' };

const io = (bps: number) => (bps === 0 ? 'unlimited' : `${Math.round(bps / 1048576)} MB/s`);

/**
 * What is on sale. Admins: every plan (public and resellers' private ones) and the OS templates.
 * Resellers: what they resell — the public plans and their own private ones, which only they can change.
 */
export default async function PlansPage() {
  const { db, principal } = await requireSession();
  if (principal.subUser || (principal.role !== 'admin' && principal.role !== 'reseller')) notFound();
  const admin = principal.role === 'admin';
  const [plans, templates] = await Promise.all([
    listPlans({ db, principal, includeRetired: true }),
    admin ? listTemplates({ db, principal, includeRetired: true }) : Promise.resolve({ data: [] }),
  ]);
  const mine = (tenantId: string | null) => admin || tenantId === principal.tenantId;
  return (
    <div className="stack">
      <div className="page-head">
        <h1>{admin ? 'Plans and templates' : 'Plans you sell'}</h1>
        {!admin && <Link href="/billing/prices" className="btn">Your prices</Link>}
      </div>
      <div className="card table-card">
        {plans.data.length === 0 ? <p className="muted table-foot">No plans yet: add the first below.</p> : (
          <table className="table" aria-label="Plans">
            <thead>
              <tr><th scope="col">Plan</th><th scope="col">Resources</th><th scope="col">Price</th><th scope="col">Offered</th><th scope="col">Change</th></tr>
            </thead>
            <tbody>
              {plans.data.map((p) => (
                <tr key={p.id}>
                  <td><span className="strong capitalize">{p.name}</span>{!p.active && <span className="badge badge-suspended"> retired</span>}</td>
                  <td className="small wrap">
                    {formatCores(p.cpuCores)} · {formatMemory(p.memoryMb)} RAM{p.swapMb ? ` + ${formatMemory(p.swapMb)} swap` : ''} · {p.diskGb} GB · {p.pidsMax} processes{p.nesting ? ' · nesting' : ''}
                    <br /><span className="muted">Disk IO {io(p.ioReadBps)} read, {io(p.ioWriteBps)} write · transfer {p.transferGb === null ? 'unmetered' : `${p.transferGb} GB/month, then ${p.overageAction === 'throttle' ? `${p.throttleMbit} Mbit/s` : `$${(p.overageCentsPerGb / 100).toFixed(2)}/GB`}`}</span>
                  </td>
                  <td>{formatPrice(p.priceCentsMonthly)}</td>
                  <td className="small">{p.tenantId === null ? 'Everyone' : p.tenantId === principal.tenantId ? 'Your customers' : <span className="mono">{p.tenantId}</span>}</td>
                  <td>{mine(p.tenantId) ? <PlanRowActions plan={p} /> : <span className="muted small">Set by the platform</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <NewPlanForm />
      {admin && (
        <section className="card stack-sm" aria-labelledby="templates-title">
          <h2 id="templates-title">OS templates</h2>
          {templates.data.length === 0 ? <p className="muted">No templates: run npm run setup to build debian-12, then register it.</p> : (
            <table className="table" aria-label="Templates">
              <thead><tr><th scope="col">Label</th><th scope="col">Name</th><th scope="col">Image</th><th scope="col">Added</th><th scope="col" /></tr></thead>
              <tbody>
                {templates.data.map((t) => (
                  <tr key={t.id}>
                    <td>{t.label}{!t.active && <span className="badge badge-suspended"> retired</span>}</td>
                    <td className="mono small">{t.name}</td>
                    <td className="mono small">{t.imageRef}</td>
                    <td className="muted small">{formatDate(t.createdAt)}</td>
                    <td><TemplateToggle template={t} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <NewTemplateForm />
        </section>
      )}
    </div>
  );
}
