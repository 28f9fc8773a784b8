import { z } from 'zod';
import { ZId } from './ids.ts';
import { ZListQuery } from './pagination.ts';

/** Money is integer minor units (cents) with an ISO 4217 currency, never a float. */
const ZCents = z.number().int().min(-1_000_000_000).max(1_000_000_000);
const ZCurrency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD');

export const ZBillingSummary = z.object({
  tenantId: ZId('tenant'),
  currency: ZCurrency,
  billingMode: z.enum(['prepaid', 'invoice']),
  /** Sum of the ledger: credits and payments minus invoiced charges. */
  balanceCents: ZCents,
  /** Metered this month (and any month not yet invoiced), not yet on an invoice. */
  accruedCents: ZCents,
  /** What a prepaid tenant can still spend: balance minus accrued. */
  availableCents: ZCents,
  /** Still owed on issued invoices. */
  dueCents: ZCents,
  unpaidInvoices: z.number().int(),
});
export type TBillingSummary = z.infer<typeof ZBillingSummary>;
export const ZBillingSummaryQuery = z.object({ tenantId: ZId('tenant').optional() });

export const LEDGER_KINDS = ['credit', 'charge', 'refund', 'adjustment', 'payment'] as const;
export const ZLedgerEntry = z.object({
  id: ZId('ledgerEntry'),
  tenantId: ZId('tenant'),
  kind: z.enum(LEDGER_KINDS),
  amountCents: ZCents,
  currency: ZCurrency,
  reason: z.string(),
  actorId: z.string().nullable(),
  invoiceId: ZId('invoice').nullable(),
  provider: z.string().nullable(),
  reference: z.string().nullable(),
  createdAt: z.string(),
});
export type TLedgerEntry = z.infer<typeof ZLedgerEntry>;
export const ZListLedgerQuery = ZListQuery.extend({ tenantId: ZId('tenant').optional() });

/**
 * POST /billing/ledger (admins; resellers for their customers): credit (+, goodwill), refund (+, gives a
 * charge back), charge (-, e.g. a setup fee) or adjustment (either sign, a correction). Amounts are
 * given positive except an adjustment's, whose sign is its direction.
 */
export const ZCreateLedgerEntryRequest = z.object({
  tenantId: ZId('tenant'),
  kind: z.enum(['credit', 'charge', 'refund', 'adjustment']),
  amountCents: ZCents.refine((n) => n !== 0, 'must not be 0'),
  reason: z.string().trim().min(3).max(500),
}).refine((v) => v.kind === 'adjustment' || v.amountCents > 0, { path: ['amountCents'], message: 'must be positive (the kind gives the direction)' });
export type TCreateLedgerEntryRequest = z.infer<typeof ZCreateLedgerEntryRequest>;

/** POST /billing/payments (admins): money received; settles the oldest open invoices. Recorded once per provider reference. */
export const ZRecordPaymentRequest = z.object({
  tenantId: ZId('tenant'),
  amountCents: z.number().int().min(1).max(1_000_000_000),
  currency: ZCurrency.optional(),
  provider: z.string().regex(/^[a-z][a-z0-9_-]{1,30}$/).default('manual'),
  reference: z.string().trim().min(1).max(200),
  note: z.string().trim().max(500).optional(),
});
export type TRecordPaymentRequest = z.infer<typeof ZRecordPaymentRequest>;

export const ZInvoiceLine = z.object({
  serverId: ZId('server'),
  description: z.string(),
  hours: z.number().int(),
  unitCents: ZCents,
  amountCents: ZCents,
});
export const ZInvoice = z.object({
  id: ZId('invoice'),
  number: z.string(),
  tenantId: ZId('tenant'),
  status: z.enum(['issued', 'paid', 'void']),
  periodStart: z.string(),
  periodEnd: z.string(),
  currency: ZCurrency,
  totalCents: ZCents,
  paidCents: ZCents,
  issuedAt: z.string(),
  dueAt: z.string(),
  paidAt: z.string().nullable(),
  lines: z.array(ZInvoiceLine),
});
export type TInvoice = z.infer<typeof ZInvoice>;
export const ZListInvoicesQuery = ZListQuery.extend({ tenantId: ZId('tenant').optional(), status: z.enum(['issued', 'paid', 'void']).optional() });
export type TListInvoicesQuery = z.infer<typeof ZListInvoicesQuery>;

/** Invoice numbers as printed: gapless integers, zero-padded. */
export const formatInvoiceNumber = (n: number): string => `INV-${String(n).padStart(6, '0')}`;

/** POST /servers/quote: what ordering this would cost, and whether the order would be accepted now. */
export const ZServerQuote = z.object({
  tenantId: ZId('tenant'),
  planId: ZId('plan'),
  currency: ZCurrency,
  hourlyCents: ZCents,
  /** A month never costs more than this. */
  monthlyCapCents: ZCents,
  billingMode: z.enum(['prepaid', 'invoice']),
  /** Prepaid: what the account can still spend (after the running hour of its servers); null when invoiced. */
  spendableCents: ZCents.nullable(),
  /** Null when the order would be accepted; else the error code it would get. */
  refusal: z.object({ code: z.string(), detail: z.string() }).nullable(),
});
export type TServerQuote = z.infer<typeof ZServerQuote>;

/** A reseller's price of a plan: wholesale (what it pays, set by an admin) or retail (what its customers pay, set by it). */
export const ZResellerPrice = z.object({
  resellerId: ZId('tenant'),
  planId: ZId('plan'),
  kind: z.enum(['wholesale', 'retail']),
  monthlyCents: ZCents,
  /** Per started hour; the month never costs more than monthlyCents. */
  hourlyCents: ZCents,
});
export type TResellerPrice = z.infer<typeof ZResellerPrice>;
export const ZListResellerPricesQuery = z.object({ resellerId: ZId('tenant').optional() });

/**
 * PUT /billing/prices: admins set wholesale (and may set retail) prices for any reseller tenant; a
 * reseller sets its own retail prices. monthlyCents null removes the price (back to the list price).
 */
export const ZSetResellerPriceRequest = z.object({
  resellerId: ZId('tenant').optional(),
  planId: ZId('plan'),
  kind: z.enum(['wholesale', 'retail']),
  monthlyCents: z.number().int().min(0).max(100_000_000).nullable(),
  hourlyCents: z.number().int().min(0).max(10_000_000).optional(),
});
export type TSetResellerPriceRequest = z.infer<typeof ZSetResellerPriceRequest>;
