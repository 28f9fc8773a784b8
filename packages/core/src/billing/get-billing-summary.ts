import type { TBillingSummary } from '@berth/contracts';
import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { billingTenantFor } from './billing-access.ts';

type TOptions = { db: TDb; principal: TPrincipal; tenantId?: string };

/** Balance, what is metered but not yet invoiced, what a prepaid tenant can still spend, and what is owed. */
export const getBillingSummary = async ({ db, principal, tenantId }: TOptions): Promise<TBillingSummary> => {
  const id = await billingTenantFor(db, principal, tenantId);
  const [tenant, [sums]] = await Promise.all([
    db.tenant.findUniqueOrThrow({ where: { id }, select: { currency: true, billingMode: true } }),
    db.$queryRaw<{ balance: bigint; accrued: bigint; due: bigint; unpaid: bigint }[]>`
      SELECT
        (SELECT coalesce(sum(amount_cents), 0) FROM ledger_entries WHERE tenant_id = ${id})::bigint AS balance,
        (SELECT coalesce(sum(amount_cents), 0) FROM usage_lines WHERE tenant_id = ${id} AND invoice_id IS NULL)::bigint AS accrued,
        (SELECT coalesce(sum(total_cents - paid_cents), 0) FROM invoices WHERE tenant_id = ${id} AND status = 'issued')::bigint AS due,
        (SELECT count(*) FROM invoices WHERE tenant_id = ${id} AND status = 'issued')::bigint AS unpaid`,
  ]);
  const balanceCents = Number(sums!.balance);
  const accruedCents = Number(sums!.accrued);
  return {
    tenantId: id, currency: tenant.currency, billingMode: tenant.billingMode, balanceCents, accruedCents,
    availableCents: balanceCents - accruedCents, dueCents: Number(sums!.due), unpaidInvoices: Number(sums!.unpaid),
  };
};
