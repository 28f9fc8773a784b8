import type { TCreateServerRequest, TServerQuote } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { AppError } from '../errors/app-error.ts';
import { resolveOrder } from '../servers/resolve-order.ts';
import { enforceTenantQuota } from '../tenancy/enforce-tenant-quota.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { billingTenantFor } from './billing-access.ts';
import { requireFunds, spendable } from './require-funds.ts';
import { priceForTenant } from './reseller-prices.ts';

type TOptions = { db: TDb; principal: TPrincipal; input: TCreateServerRequest };

class DryRun extends Error {}

/**
 * A dry run of ordering: the price (hourly, capped monthly) and whether the order would pass the tenant's
 * quotas and, for prepaid accounts, its funds — checked by the same code as ordering, in a transaction
 * that is always rolled back. Invalid input fails as the order would (422/404); nothing is written.
 */
export const quoteServer = async ({ db, principal, input }: TOptions): Promise<TServerQuote> => {
  requireScope(principal, 'servers:write');
  if (principal.subUser && !principal.tenantPermissions?.includes('servers:create')) {
    throw new AppError('forbidden', 'This sub-user may not order servers (tenant permission servers:create).');
  }
  const { tenantId, plan } = await resolveOrder({ db, principal, input });
  // Money figures only for callers who may read this account's billing.
  const seesMoney = await billingTenantFor(db, principal, tenantId).then(() => true, () => false);
  let quote: TServerQuote | undefined;
  await db.$transaction(async (tx) => {
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { billingMode: true, currency: true } });
    let refusal: TServerQuote['refusal'] = null;
    try {
      await enforceTenantQuota({ tx, tenantId, add: { servers: 1, cpuCores: plan.cpuCores, memoryMb: plan.memoryMb, diskGb: plan.diskGb, ips: 1 } });
      await requireFunds({ tx, tenantId, plan });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      refusal = { code: err.code, detail: err.code === 'insufficient_funds' && !seesMoney ? 'The account cannot pay for this server now.' : err.message };
    }
    const price = await priceForTenant(tx, tenantId, plan);
    quote = {
      tenantId, planId: plan.id, currency: tenant.currency, hourlyCents: price.hourlyCents, monthlyCapCents: price.capCents,
      billingMode: tenant.billingMode, spendableCents: seesMoney ? ((await spendable(tx, tenantId))?.cents ?? null) : null, refusal,
    };
    throw new DryRun();
  }, TX_OPTIONS).catch((err: unknown) => {
    if (!(err instanceof DryRun)) throw err;
  });
  return quote!;
};
