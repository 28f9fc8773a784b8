import { ROUTES } from '@berth/contracts';
import { listAuditEvents } from '@berth/core';
import { apiRoute } from '../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.listAuditEvents, ({ db, principal, query }) => listAuditEvents({ db, principal, query }));
