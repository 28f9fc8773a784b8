import { ROUTES } from '@berth/contracts';
import { createTemplate, listTemplates } from '@berth/core';
import { apiRoute } from '../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.listTemplates, ({ db, principal, query }) => listTemplates({ db, principal, includeRetired: query.includeRetired }));
export const POST = apiRoute(ROUTES.createTemplate, ({ db, principal, body }) => createTemplate({ db, principal, input: body }));
