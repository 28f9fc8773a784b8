import { ROUTES } from '@berth/contracts';
import { testWebhook } from '@berth/core';
import { apiRoute } from '../../../../../../server/api-route.ts';

export const POST = apiRoute(ROUTES.testWebhook, ({ db, principal, params }) => testWebhook({ db, principal, webhookId: params.id }));
