import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AppError, formatMoney, getBillingSummary, getTenant, listInvoices, listLedger } from '@berth/core';
import { BalanceForms } from '../../../../components/billing/balance-forms.tsx';
import { formatDate } from '../../../../components/format.ts';
import { requireSession } from '../../../../server/ui-session.ts';

export const metadata = { title: 'Billing' };

/**
 * An account's money: balance, what this month has cost so far, invoices (PDF) and the ledger. Admins and
 * resellers open a customer's with ?tenantId= and can credit it (admins also record payments).
 */
export default async function BillingPage({ searchParams }: { searchParams: Promise<{ tenantId?: string }> }) {
  const { db, principal } = await requireSession();
  const wanted = (await searchParams).tenantId;
  const tenantId = typeof wanted === 'string' && wanted ? wanted : undefined;
  const load = async () => Promise.all([
    getBillingSummary({ db, principal, tenantId }),
    listInvoices({ db, principal, query: { limit: 50, tenantId } }),
    listLedger({ db, principal, query: { limit: 50, tenantId } }),
    getTenant({ db, principal, tenantId: tenantId ?? principal.tenantId }),
  ]);
  const loaded = await load().catch((err: unknown) => {
    if (err instanceof AppError && (err.code === 'not_found' || err.code === 'forbidden' || err.code === 'validation_failed')) return err;
    throw err;
  });
  if (loaded instanceof AppError) {
    if (loaded.code === 'not_found' || loaded.code === 'validation_failed') notFound();
    return <div className="card"><h1>Billing</h1><p className="alert alert-error" role="alert">{loaded.message}</p></div>;
  }
  const [summary, invoices, ledger, tenant] = loaded;
  const money = (c: number) => formatMoney(c, summary.currency);
  const managing = tenantId !== undefined && tenantId !== principal.tenantId;

  return (
    <div className="stack">
      <div className="page-head"><h1>Billing{managing ? `: ${tenant.name}` : ''}</h1></div>
      <section className="stat-grid" aria-label="Balance">
        <div className="card stat"><span className="muted small">Balance</span><strong data-testid="balance">{money(summary.balanceCents)}</strong></div>
        <div className="card stat"><span className="muted small">This month so far (not invoiced)</span><strong data-testid="accrued">{money(summary.accruedCents)}</strong></div>
        <div className="card stat"><span className="muted small">Owed on invoices</span><strong data-testid="due">{money(summary.dueCents)}</strong></div>
        <div className="card stat">
          <span className="muted small">{summary.billingMode === 'prepaid' ? 'Prepaid: left to spend' : 'Billed by invoice'}</span>
          <strong>{summary.billingMode === 'prepaid' ? money(summary.availableCents) : 'Monthly'}</strong>
        </div>
      </section>

      {managing && <BalanceForms tenantId={summary.tenantId} currency={summary.currency} canRecordPayments={principal.role === 'admin'} />}

      <section className="card table-card" aria-labelledby="invoices-title">
        <h2 id="invoices-title" className="table-title">Invoices</h2>
        {invoices.data.length === 0 ? <p className="muted table-foot">No invoices yet: the first comes after your first month.</p> : (
          <table className="table" aria-label="Invoices">
            <thead><tr><th scope="col">Invoice</th><th scope="col">Period</th><th scope="col">Total</th><th scope="col">Status</th><th scope="col">Due</th><th scope="col" /></tr></thead>
            <tbody>
              {invoices.data.map((i) => (
                <tr key={i.id}>
                  <td className="mono">{i.number}</td>
                  <td>{i.periodStart.slice(0, 7)}</td>
                  <td>{money(i.totalCents)}{i.paidCents > 0 && i.status === 'issued' && <span className="muted small"> ({money(i.paidCents)} paid)</span>}</td>
                  <td><span className={`badge ${i.status === 'paid' ? 'badge-running' : 'badge-suspended'}`}>{i.status === 'issued' ? 'open' : i.status}</span></td>
                  <td className="muted small">{formatDate(i.dueAt)}</td>
                  <td><a className="btn btn-small" href={`/api/v1/invoices/${i.id}/pdf`} target="_blank" rel="noreferrer">PDF</a></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="card table-card" aria-labelledby="ledger-title">
        <h2 id="ledger-title" className="table-title">Ledger</h2>
        {ledger.data.length === 0 ? <p className="muted table-foot">No entries yet.</p> : (
          <table className="table" aria-label="Ledger">
            <thead><tr><th scope="col">When</th><th scope="col">Kind</th><th scope="col">Amount</th><th scope="col">Reason</th></tr></thead>
            <tbody>
              {ledger.data.map((e) => (
                <tr key={e.id}>
                  <td className="muted small">{formatDate(e.createdAt)}</td>
                  <td className="capitalize">{e.kind}</td>
                  <td className={e.amountCents < 0 ? 'mono' : 'mono strong'}>{formatMoney(e.amountCents, e.currency)}</td>
                  <td className="small">{e.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {managing && <p><Link href={`/servers?tenantId=${summary.tenantId}`}>Servers of {tenant.name}</Link></p>}
    </div>
  );
}
