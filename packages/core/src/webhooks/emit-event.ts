import { eventMatches, newId, type TWebhookEvent } from '@berth/contracts';
import type { TTx } from '@berth/db';

type TOptions = { tx: TTx; tenantId: string; type: TWebhookEvent; data: Record<string, unknown> };

/**
 * Queue a webhook event for every active endpoint of the tenant, and of its reseller, that subscribed to
 * it. Runs inside the caller's transaction: the event exists exactly when the change it reports does.
 */
export const emitEvent = async ({ tx, tenantId, type, data }: TOptions): Promise<void> => {
  const endpoints = await tx.webhookEndpoint.findMany({
    where: { active: true, tenant: { OR: [{ id: tenantId }, { children: { some: { id: tenantId } } }] } },
    select: { id: true, events: true },
  });
  const targets = endpoints.filter((e) => eventMatches(e.events, type));
  if (!targets.length) return;
  const eventId = newId('event');
  const payload = { id: eventId, type, createdAt: new Date().toISOString(), tenantId, data };
  await tx.webhookDelivery.createMany({
    data: targets.map((e) => ({ id: newId('webhookDelivery'), endpointId: e.id, eventId, eventType: type, payload: payload as object })),
  });
};
