import { ROUTES } from '@berth/contracts';
import { deleteWebhook } from '@berth/core';
import { apiRoute } from '../../../../../server/api-route.ts';

export const DELETE = apiRoute(ROUTES.deleteWebhook, ({ db, principal, params }) => deleteWebhook({ db, principal, webhookId: params.id }));
