import type { TListDeliveriesQuery } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { notFound } from '../errors/not-found.ts';
import { keyset } from '../pagination/keyset.ts';
import { toDeliveryDto } from './to-webhook-dto.ts';
import { visibleWebhooks } from './webhook-access.ts';

type TOptions = { db: TDb; principal: TPrincipal; webhookId: string; query: TListDeliveriesQuery };

/** The delivery log of one of the caller's webhooks, newest first. */
export const listWebhookDeliveries = async ({ db, principal, webhookId, query }: TOptions) => {
  requireScope(principal, 'account:read');
  if (!(await db.webhookEndpoint.findFirst({ where: { AND: [{ id: webhookId }, visibleWebhooks(principal)] } }))) throw notFound('webhook', webhookId);
  const k = keyset(query.cursor, query.limit);
  const rows = await db.webhookDelivery.findMany({
    where: { AND: [{ endpointId: webhookId }, query.status ? { status: query.status } : {}, k.where] }, orderBy: k.orderBy, take: k.take,
  });
  return k.page(rows, toDeliveryDto);
};
