import type { TInvoice } from '@berth/contracts';
import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { notFound } from '../errors/not-found.ts';
import { billingTenantFor } from './billing-access.ts';
import { toInvoiceDto } from './to-billing-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; invoiceId: string };

/** One invoice with its lines, if the caller may see its tenant's billing. */
export const getInvoice = async ({ db, principal, invoiceId }: TOptions): Promise<TInvoice> => {
  const row = await db.invoice.findUnique({ where: { id: invoiceId }, include: { lines: { orderBy: { description: 'asc' } } } });
  if (!row) throw notFound('invoice', invoiceId);
  try {
    await billingTenantFor(db, principal, row.tenantId);
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'not_found') throw notFound('invoice', invoiceId);
    throw err;
  }
  return toInvoiceDto(row);
};
