import { newId, type TLedgerEntry, type TRecordPaymentRequest } from '@berth/contracts';
import { isUniqueViolation, type TDb } from '@berth/db';
import { recordAudit } from '../audit/record-audit.ts';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { AppError } from '../errors/app-error.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { lockManagedTenant } from './billing-access.ts';
import { findPaymentProvider } from './payment-provider.ts';
import { settleInvoices } from './settle-invoices.ts';
import { toLedgerEntryDto } from './to-billing-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; input: TRecordPaymentRequest; now?: Date };

const invalid = (path: string, message: string) => new AppError('validation_failed', message, { fieldErrors: [{ path, message }] });

/** Money received: a positive ledger entry, once per (provider, reference), settling the oldest open invoices. */
export const recordPayment = async ({ db, principal, input, now = new Date() }: TOptions): Promise<TLedgerEntry> => {
  requireScope(principal, 'admin:*');
  if (!findPaymentProvider(input.provider)?.manual) throw invalid('provider', `unknown payment provider ${input.provider}`);
  try {
    return await db.$transaction(async (tx) => {
      const tenant = await lockManagedTenant(tx, principal, input.tenantId);
      if (input.currency && input.currency !== tenant.currency) throw invalid('currency', `this tenant is billed in ${tenant.currency}`);
      const row = await tx.ledgerEntry.create({
        data: {
          id: newId('ledgerEntry'), tenantId: tenant.id, kind: 'payment', amountCents: input.amountCents, currency: tenant.currency,
          reason: input.note ?? `Payment ${input.reference}`, actorId: principal.userId, provider: input.provider, reference: input.reference, createdAt: now,
        },
      });
      await settleInvoices({ tx, tenantId: tenant.id, now });
      await recordAudit({ tx, principal, action: 'billing.payment', targetType: 'tenant', targetId: tenant.id, tenantId: tenant.id, data: { amountCents: input.amountCents, provider: input.provider, reference: input.reference } });
      return toLedgerEntryDto(row);
    }, TX_OPTIONS);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict', `A ${input.provider} payment with reference ${input.reference} is already recorded.`);
    throw err;
  }
};
