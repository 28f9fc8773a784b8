import { ROUTES } from '@berth/contracts';
import { listQuarantinedContainers } from '@berth/core';
import { apiRoute } from '../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.listQuarantinedContainers, ({ db, principal, query }) => listQuarantinedContainers({ db, principal, query }));
