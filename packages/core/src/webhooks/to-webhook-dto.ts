import type { TWebhook, TWebhookDelivery } from '@berth/contracts';
import type { WebhookDelivery, WebhookEndpoint } from '@berth/db';

export const toWebhookDto = (w: WebhookEndpoint): TWebhook => ({
  id: w.id, url: w.url, description: w.description, events: w.events, active: w.active, createdAt: w.createdAt.toISOString(),
});

export const toDeliveryDto = (d: WebhookDelivery): TWebhookDelivery => ({
  id: d.id, eventId: d.eventId, eventType: d.eventType, status: d.status as TWebhookDelivery['status'], attempts: d.attempts,
  nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt.toISOString() : null, lastStatusCode: d.lastStatusCode, lastError: d.lastError,
  createdAt: d.createdAt.toISOString(), deliveredAt: d.deliveredAt?.toISOString() ?? null,
});
