import { ROUTES } from '@berth/contracts';
import { createWebhook, listWebhooks } from '@berth/core';
import { apiRoute } from '../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.listWebhooks, ({ db, principal, query }) => listWebhooks({ db, principal, query }));
export const POST = apiRoute(ROUTES.createWebhook, ({ db, env, principal, body }) => createWebhook({ db, principal, input: body, sessionSecret: env.SESSION_SECRET }));
