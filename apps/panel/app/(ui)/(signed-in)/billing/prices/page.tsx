import { notFound } from 'next/navigation';
import { AppError, formatMoney, getTenant, listPlans, listResellerPrices } from '@berth/core';
import { PriceCell } from '../../../../../components/billing/price-cell.tsx';
import { requireSession } from '../../../../../server/ui-session.ts';

export const metadata = { title: 'Reseller prices' };

/**
 * A reseller's prices per plan: the list price, the wholesale price it pays (set by an admin) and the
 * retail price its customers pay (set by the reseller). Admins open a reseller's with ?resellerId=.
 */
export default async function ResellerPricesPage({ searchParams }: { searchParams: Promise<{ resellerId?: string }> }) {
  const { db, principal } = await requireSession();
  if (principal.subUser || (principal.role !== 'admin' && principal.role !== 'reseller')) notFound();
  const wanted = (await searchParams).resellerId;
  const resellerId = principal.role === 'admin' && typeof wanted === 'string' && wanted ? wanted : principal.tenantId;
  const loaded = await Promise.all([
    getTenant({ db, principal, tenantId: resellerId }),
    listPlans({ db, principal, forTenantId: resellerId }),
    listResellerPrices({ db, principal, resellerId }),
  ]).catch((err: unknown) => {
    if (err instanceof AppError && (err.code === 'not_found' || err.code === 'validation_failed')) return null;
    throw err;
  });
  if (!loaded) notFound();
  const [tenant, plans, prices] = loaded;
  const price = (planId: string, kind: 'wholesale' | 'retail') => prices.data.find((p) => p.planId === planId && p.kind === kind)?.monthlyCents ?? null;
  const money = (c: number) => formatMoney(c, tenant.currency);
  const admin = principal.role === 'admin';
  return (
    <div className="stack">
      <div className="page-head"><h1>Prices{admin ? `: ${tenant.name}` : ''}</h1></div>
      <p className="muted">
        Monthly prices (the hourly rate is the monthly price over 672 hours; a month never costs more). Empty: the list price.
        {admin ? ' Wholesale is what this reseller pays for its customers\' servers and its own; retail is what its customers pay.' : ' Wholesale is what you pay the platform; retail is what your customers pay you.'}
      </p>
      <div className="card table-card">
        <table className="table" aria-label="Prices">
          <thead><tr><th scope="col">Plan</th><th scope="col">List</th><th scope="col">Wholesale</th><th scope="col">Retail</th></tr></thead>
          <tbody>
            {plans.data.map((p) => {
              const wholesale = price(p.id, 'wholesale');
              return (
                <tr key={p.id}>
                  <td className="strong capitalize">{p.name}</td>
                  <td>{money(p.priceCentsMonthly)}</td>
                  <td>
                    {admin
                      ? <PriceCell resellerId={resellerId} planId={p.id} planName={p.name} kind="wholesale" monthlyCents={wholesale} currency={tenant.currency} />
                      : <span data-testid={`wholesale-${p.name}`}>{wholesale === null ? 'list' : money(wholesale)}</span>}
                  </td>
                  <td><PriceCell resellerId={resellerId} planId={p.id} planName={p.name} kind="retail" monthlyCents={price(p.id, 'retail')} currency={tenant.currency} /></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
