import { formatInvoiceNumber, newId } from '@berth/contracts';
import type { TDb, TTx } from '@berth/db';
import { TX_OPTIONS } from '../tx-options.ts';
import { emitEvent } from '../webhooks/emit-event.ts';
import { monthStart, nextMonth } from './clock.ts';
import { settleInvoices } from './settle-invoices.ts';

type TSeller = { name: string; lines: string[] };
type TOptions = {
  db: TDb; now: Date; dueDays: number; batchSize?: number;
  /** Printed on the invoice as issued (a later change of name or address does not rewrite it). */
  seller?: TSeller;
  /** One tenant's failure must not stop the others' invoices: report it here (default: throw). */
  onError?: (tenantId: string, err: unknown) => void;
};

// A month is invoiced only this long after it ended: longer than any order transaction may take and any
// sane clock skew between panel and worker, so no hour of it is still being committed.
const SETTLE_MS = 10 * 60_000;

/**
 * Issue the invoices of ended months: one per tenant and month, once every server of the tenant has been
 * metered to the month's end. Each is numbered from the one counter row in its own transaction (a
 * rollback gives the number back, so numbers have no gaps), carries a line per server and plan, is
 * charged to the ledger and settled against the balance at once. Usage lines are claimed by the invoice
 * under the tenant lock, so an hour is invoiced once; an hour of an invoiced month metered late goes on
 * a supplementary invoice of that month. Returns how many were issued (0: nothing ready).
 */
export const issueInvoices = async ({ db, now, dueDays, batchSize = 50, onError, seller }: TOptions): Promise<number> => {
  const current = monthStart(new Date(now.getTime() - SETTLE_MS));
  const ready = await db.$queryRaw<{ tenant_id: string; month: Date }[]>`
    SELECT DISTINCT u.tenant_id, u.month FROM usage_lines u
    WHERE u.invoice_id IS NULL AND u.month < ${current}
      -- Transfer is complete once the month's last hour is rolled up (or long ago: rollup marks are purged).
      AND (u.month + interval '1 month' + interval '48 hours' < ${now}
           OR EXISTS (SELECT 1 FROM metric_rollups r WHERE r.hour = u.month + interval '1 month' - interval '1 hour'))
      AND NOT EXISTS (
        SELECT 1 FROM servers s JOIN tenants st ON st.id = s.tenant_id
        WHERE (s.tenant_id = u.tenant_id OR st.parent_id = u.tenant_id) -- a reseller pays for its customers' servers too
          AND s.created_at < u.month + interval '1 month' AND s.billed_through < u.month + interval '1 month'
          AND (s.deleted_at IS NULL OR date_trunc('hour', s.billed_through) < s.deleted_at))
    ORDER BY u.month LIMIT ${batchSize}`;
  let issued = 0;
  for (const { tenant_id: tenantId, month } of ready) {
    try {
      issued += await issueOne(db, tenantId, month, now, dueDays, seller);
    } catch (err) {
      if (!onError) throw err;
      onError(tenantId, err);
    }
  }
  return issued;
};

const issueOne = (db: TDb, tenantId: string, month: Date, now: Date, dueDays: number, seller?: TSeller) =>
    db.$transaction(async (tx) => {
      const [customer] = await tx.$queryRaw<{ name: string }[]>`SELECT name FROM tenants WHERE id = ${tenantId} FOR UPDATE`;
      const lines = await tx.usageLine.findMany({ where: { tenantId, month, invoiceId: null } });
      if (!lines.length) return 0; // another worker issued it meanwhile
      const [servers, plans] = await Promise.all([
        tx.server.findMany({ where: { id: { in: lines.map((l) => l.serverId) } }, select: { id: true, hostname: true, tenantId: true, tenant: { select: { name: true } } } }),
        tx.plan.findMany({ where: { id: { in: lines.map((l) => l.planId) } }, select: { id: true, name: true } }),
      ]);
      // On a reseller's invoice, its customers' servers are named with the customer.
      const hostname = new Map(servers.map((s) => [s.id, s.tenantId === tenantId ? s.hostname : `${s.hostname} (${s.tenant.name})`]));
      const planName = new Map(plans.map((p) => [p.id, p.name]));
      const transfer = await transferOverage(tx, tenantId, month);
      const [counter] = await tx.$queryRaw<{ number: number }[]>`UPDATE invoice_counter SET next = next + 1 WHERE id = 1 RETURNING next - 1 AS number`;
      const number = counter!.number;
      const totalCents = lines.reduce((a, l) => a + l.amountCents, 0) + transfer.reduce((a, l) => a + l.amountCents, 0);
      const id = newId('invoice');
      const period = month.toISOString().slice(0, 7);
      await tx.invoice.create({
        data: {
          id, number, tenantId, periodStart: month, periodEnd: nextMonth(month), currency: lines[0]!.currency, totalCents,
          issuedAt: now, dueAt: new Date(now.getTime() + dueDays * 86_400_000),
          customerName: customer?.name ?? null, sellerName: seller?.name ?? null, sellerLines: seller?.lines ?? [],
          lines: {
            create: [
              ...lines.map((l) => ({
                id: newId('invoiceLine'), serverId: l.serverId, hours: l.hours, unitCents: l.unitCents, amountCents: l.amountCents,
                description: `${hostname.get(l.serverId) ?? l.serverId}, plan ${planName.get(l.planId) ?? l.planId}, ${period}${l.amountCents < l.hours * l.unitCents ? ' (monthly cap)' : ''}`,
              })),
              // Transfer overage: hours = GB here (the PDF shows the unit in the description).
              ...transfer.map((l) => ({
                id: newId('invoiceLine'), serverId: l.serverId, hours: l.overGb, unitCents: l.unitCents, amountCents: l.amountCents,
                description: `${l.hostname}, transfer over ${l.includedGb} GB: ${l.overGb} GB, ${period}`,
              })),
            ],
          },
        },
      });
      await tx.usageLine.updateMany({ where: { tenantId, month, invoiceId: null }, data: { invoiceId: id } });
      await tx.$executeRaw`UPDATE transfer_usage SET invoice_id = ${id}
        WHERE month = ${month} AND invoice_id IS NULL AND server_id IN (SELECT id FROM servers WHERE tenant_id = ${tenantId})`;
      await tx.ledgerEntry.create({
        data: { id: newId('ledgerEntry'), tenantId, kind: 'charge', amountCents: -totalCents, currency: lines[0]!.currency, reason: `Invoice ${formatInvoiceNumber(number)} (${period})`, invoiceId: id },
      });
      await emitEvent({ tx, tenantId, type: 'invoice.created', data: { invoiceId: id, number: formatInvoiceNumber(number), totalCents, currency: lines[0]!.currency, period } });
      await settleInvoices({ tx, tenantId, now });
      return 1;
    }, TX_OPTIONS);

const GB = 1_000_000_000n;

/**
 * Transfer beyond the plan's monthly allowance of the tenant's servers in `month`, billed per started GB
 * (10^9 bytes) on plans that bill overage. Read from transfer_usage rows not yet on an invoice.
 */
const transferOverage = async (tx: TTx, tenantId: string, month: Date) => {
  const rows = await tx.$queryRaw<{ server_id: string; hostname: string; bytes: bigint; transfer_gb: number; overage_cents_per_gb: number }[]>`
    SELECT tu.server_id, s.hostname, tu.bytes, p.transfer_gb, p.overage_cents_per_gb
    FROM transfer_usage tu JOIN servers s ON s.id = tu.server_id
    -- The plan in effect at the month's end, not whatever the server is on when the invoice is issued.
    JOIN plans p ON p.id = coalesce((SELECT c.plan_id FROM server_plan_changes c WHERE c.server_id = s.id
      AND c.at < ${month}::timestamp + interval '1 month' ORDER BY c.at DESC LIMIT 1), s.plan_id)
    WHERE s.tenant_id = ${tenantId} AND tu.month = ${month} AND tu.invoice_id IS NULL
      AND p.transfer_gb IS NOT NULL AND p.overage_action = 'bill' AND p.overage_cents_per_gb > 0`;
  return rows.flatMap((r) => {
    const over = r.bytes - BigInt(r.transfer_gb) * GB;
    if (over <= 0n) return [];
    const overGb = Number((over + GB - 1n) / GB);
    return [{ serverId: r.server_id, hostname: r.hostname, includedGb: r.transfer_gb, overGb, unitCents: r.overage_cents_per_gb, amountCents: overGb * r.overage_cents_per_gb }];
  });
};
