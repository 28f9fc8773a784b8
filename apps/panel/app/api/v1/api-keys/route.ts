import { ROUTES } from '@berth/contracts';
import { issueApiKey, listApiKeys } from '@berth/core';
import { apiRoute } from '../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.listApiKeys, ({ db, principal, query }) => listApiKeys({ db, principal, query }));
export const POST = apiRoute(ROUTES.createApiKey, ({ db, principal, body }) => issueApiKey({ db, principal, input: body }));
