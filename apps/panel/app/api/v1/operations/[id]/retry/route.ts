import { ROUTES } from '@berth/contracts';
import { retryOperation } from '@berth/core';
import { apiRoute } from '../../../../../../server/api-route.ts';

export const POST = apiRoute(ROUTES.retryOperation, ({ db, principal, params }) => retryOperation({ db, principal, operationId: params.id }));
