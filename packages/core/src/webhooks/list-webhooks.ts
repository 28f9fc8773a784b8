import type { TListQuery } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { keyset } from '../pagination/keyset.ts';
import { toWebhookDto } from './to-webhook-dto.ts';
import { visibleWebhooks } from './webhook-access.ts';

type TOptions = { db: TDb; principal: TPrincipal; query: TListQuery };

/** The caller's tenant's webhooks (secrets are never shown again). */
export const listWebhooks = async ({ db, principal, query }: TOptions) => {
  requireScope(principal, 'account:read');
  const k = keyset(query.cursor, query.limit);
  const rows = await db.webhookEndpoint.findMany({ where: { AND: [visibleWebhooks(principal), k.where] }, orderBy: k.orderBy, take: k.take });
  return k.page(rows, toWebhookDto);
};
