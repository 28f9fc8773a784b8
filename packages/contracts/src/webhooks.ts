import { z } from 'zod';
import { ZId } from './ids.ts';
import { ZListQuery } from './pagination.ts';

/** Events a tenant can subscribe to (invoice.* arrive with billing). */
export const WEBHOOK_EVENTS = [
  'server.ordered', 'server.created', 'server.deleted', 'server.resized', 'server.reinstalled', 'server.started', 'server.stopped', 'server.migrated',
  'server.suspended', 'server.unsuspended',
  'operation.succeeded', 'operation.failed', 'invoice.created', 'invoice.paid', 'invoice.overdue', 'webhook.test',
] as const;
export type TWebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** An exact event name or a family: `server.*`, `operation.*`, `invoice.*`. */
export const ZWebhookEventPattern = z.string().refine(
  (p) => (WEBHOOK_EVENTS as readonly string[]).includes(p) || ['server.*', 'operation.*', 'invoice.*'].includes(p),
  'must be an event name (e.g. server.created) or server.*, operation.*, invoice.*',
);

export const eventMatches = (patterns: readonly string[], type: string): boolean =>
  patterns.some((p) => p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));

const ZUrl = z.url({ protocol: /^https?$/ }).max(2000).refine((u) => !/^[a-z]+:\/\/[^/]*@/i.test(u), 'must not carry credentials');

export const ZWebhook = z.object({
  id: ZId('webhook'),
  url: z.string(),
  description: z.string(),
  events: z.array(z.string()),
  active: z.boolean(),
  createdAt: z.string(),
});
export type TWebhook = z.infer<typeof ZWebhook>;

export const ZCreateWebhookRequest = z.object({
  url: ZUrl,
  events: z.array(ZWebhookEventPattern).min(1).max(20),
  description: z.string().trim().max(200).optional(),
});
export type TCreateWebhookRequest = z.infer<typeof ZCreateWebhookRequest>;
export const ZCreateWebhookResponse = z.object({
  webhook: ZWebhook,
  secret: z.string().describe('HMAC-SHA256 key for Berth-Signature; shown once.'),
});

export const ZWebhookDelivery = z.object({
  id: ZId('webhookDelivery'),
  eventId: z.string(),
  eventType: z.string(),
  status: z.enum(['pending', 'succeeded', 'failed']),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});
export type TWebhookDelivery = z.infer<typeof ZWebhookDelivery>;
export const ZListDeliveriesQuery = ZListQuery.extend({ status: z.enum(['pending', 'succeeded', 'failed']).optional() });
export type TListDeliveriesQuery = z.infer<typeof ZListDeliveriesQuery>;
