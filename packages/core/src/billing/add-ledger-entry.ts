import { newId, type TCreateLedgerEntryRequest, type TLedgerEntry } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { recordAudit } from '../audit/record-audit.ts';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { lockManagedTenant } from './billing-access.ts';
import { settleInvoices } from './settle-invoices.ts';
import { toLedgerEntryDto } from './to-billing-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; input: TCreateLedgerEntryRequest; now?: Date };

const SIGN = { credit: 1, refund: 1, charge: -1, adjustment: 1 } as const;

/** A credit, refund, charge or adjustment by an admin (or a reseller for its customer), with who and why; settles invoices. */
export const addLedgerEntry = async ({ db, principal, input, now = new Date() }: TOptions): Promise<TLedgerEntry> => {
  requireScope(principal, 'account:write');
  return db.$transaction(async (tx) => {
    const tenant = await lockManagedTenant(tx, principal, input.tenantId);
    const row = await tx.ledgerEntry.create({
      data: {
        id: newId('ledgerEntry'), tenantId: tenant.id, kind: input.kind, amountCents: SIGN[input.kind] * input.amountCents,
        currency: tenant.currency, reason: input.reason, actorId: principal.userId, createdAt: now,
      },
    });
    await settleInvoices({ tx, tenantId: tenant.id, now });
    await recordAudit({ tx, principal, action: `billing.${input.kind}`, targetType: 'tenant', targetId: tenant.id, tenantId: tenant.id, data: { amountCents: row.amountCents, reason: input.reason } });
    return toLedgerEntryDto(row);
  }, TX_OPTIONS);
};
