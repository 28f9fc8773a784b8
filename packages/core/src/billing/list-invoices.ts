import type { TListInvoicesQuery } from '@berth/contracts';
import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { AppError } from '../errors/app-error.ts';
import { billingTenantFor } from './billing-access.ts';
import { toInvoiceDto } from './to-billing-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; query: TListInvoicesQuery };

/** A tenant's invoices, newest number first; the cursor is the last number seen. */
export const listInvoices = async ({ db, principal, query }: TOptions) => {
  const tenantId = await billingTenantFor(db, principal, query.tenantId);
  const before = query.cursor === undefined ? undefined : Number(query.cursor);
  if (before !== undefined && !(Number.isInteger(before) && before >= 1 && before <= 2_147_483_647)) {
    throw new AppError('validation_failed', 'The cursor is not valid.', { fieldErrors: [{ path: 'cursor', message: 'invalid cursor' }] });
  }
  const rows = await db.invoice.findMany({
    where: { tenantId, ...(query.status ? { status: query.status } : {}), ...(before !== undefined ? { number: { lt: before } } : {}) },
    include: { lines: { orderBy: { description: 'asc' } } }, orderBy: { number: 'desc' }, take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return { data: page.map(toInvoiceDto), nextCursor: rows.length > query.limit ? String(page.at(-1)!.number) : null };
};
