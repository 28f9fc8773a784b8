import { newId } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { notFound } from '../errors/not-found.ts';
import { toDeliveryDto } from './to-webhook-dto.ts';
import { visibleWebhooks } from './webhook-access.ts';

type TOptions = { db: TDb; principal: TPrincipal; webhookId: string };

/** Queue a `webhook.test` event to one webhook, to check the receiver and its signature check. */
export const testWebhook = async ({ db, principal, webhookId }: TOptions) => {
  requireScope(principal, 'account:write');
  if (!(await db.webhookEndpoint.findFirst({ where: { AND: [{ id: webhookId }, visibleWebhooks(principal)] } }))) throw notFound('webhook', webhookId);
  const eventId = newId('event');
  const row = await db.$transaction(async (tx) => {
    await recordAudit({ tx, principal, action: 'webhook.test', targetType: 'webhook', targetId: webhookId });
    return tx.webhookDelivery.create({
      data: {
        id: newId('webhookDelivery'), endpointId: webhookId, eventId, eventType: 'webhook.test',
        payload: { id: eventId, type: 'webhook.test', createdAt: new Date().toISOString(), tenantId: principal.tenantId, data: {} },
      },
    });
  });
  return toDeliveryDto(row);
};
