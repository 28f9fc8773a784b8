import type { TDb } from '@berth/db';
import type { TListQuery } from '@berth/contracts';
import type { TPrincipal } from '../auth/principal.ts';
import { keyset } from '../pagination/keyset.ts';
import { billingTenantFor } from './billing-access.ts';
import { toLedgerEntryDto } from './to-billing-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; query: TListQuery & { tenantId?: string } };

/** A tenant's ledger, newest first. */
export const listLedger = async ({ db, principal, query }: TOptions) => {
  const tenantId = await billingTenantFor(db, principal, query.tenantId);
  const k = keyset(query.cursor, query.limit);
  const rows = await db.ledgerEntry.findMany({ where: { AND: [{ tenantId }, k.where] }, orderBy: k.orderBy, take: k.take });
  return k.page(rows, toLedgerEntryDto);
};
