import { randomBytes } from 'node:crypto';
import { newId, type TCreateWebhookRequest } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireNotSubUser, requireScope, type TPrincipal } from '../auth/principal.ts';
import { seal } from '../auth/secret-box.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../errors/app-error.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { toWebhookDto } from './to-webhook-dto.ts';

type TOptions = { db: TDb; principal: TPrincipal; input: TCreateWebhookRequest; sessionSecret: string };

const MAX_PER_TENANT = 20;

/** Register a webhook for the caller's tenant; its signing secret is returned once. */
export const createWebhook = async ({ db, principal, input, sessionSecret }: TOptions) => {
  requireScope(principal, 'account:write');
  requireNotSubUser(principal, 'manage webhooks');
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM tenants WHERE id = ${principal.tenantId} FOR UPDATE`; // the count below is then exact
    if ((await tx.webhookEndpoint.count({ where: { tenantId: principal.tenantId } })) >= MAX_PER_TENANT) {
      throw new AppError('quota_exceeded', `A tenant may register at most ${MAX_PER_TENANT} webhooks.`);
    }
    const row = await tx.webhookEndpoint.create({
      data: {
        id: newId('webhook'), tenantId: principal.tenantId, url: input.url, description: input.description ?? '',
        events: [...new Set(input.events)], secret: seal(sessionSecret, 'webhook', secret),
      },
    });
    await recordAudit({ tx, principal, action: 'webhook.create', targetType: 'webhook', targetId: row.id, data: { url: row.url, events: row.events } });
    return { webhook: toWebhookDto(row), secret };
  }, TX_OPTIONS);
};
