import { ROUTES } from '@berth/contracts';
import { listWebhookDeliveries } from '@berth/core';
import { apiRoute } from '../../../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.listWebhookDeliveries, ({ db, principal, params, query }) => listWebhookDeliveries({ db, principal, webhookId: params.id, query }));
