import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { notFound } from '../errors/not-found.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { visibleWebhooks } from './webhook-access.ts';

type TOptions = { db: TDb; principal: TPrincipal; webhookId: string };

/** Remove a webhook and its pending deliveries. */
export const deleteWebhook = async ({ db, principal, webhookId }: TOptions): Promise<null> => {
  requireScope(principal, 'account:write');
  await db.$transaction(async (tx) => {
    const n = await tx.webhookEndpoint.deleteMany({ where: { AND: [{ id: webhookId }, visibleWebhooks(principal)] } });
    if (n.count !== 1) throw notFound('webhook', webhookId);
    await recordAudit({ tx, principal, action: 'webhook.delete', targetType: 'webhook', targetId: webhookId });
  }, TX_OPTIONS);
  return null;
};
