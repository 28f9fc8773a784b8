import { ROUTES } from '@berth/contracts';
import { revokeApiKey } from '@berth/core';
import { apiRoute } from '../../../../../server/api-route.ts';

export const DELETE = apiRoute(ROUTES.revokeApiKey, ({ db, principal, params }) => revokeApiKey({ db, principal, apiKeyId: params.id }));
