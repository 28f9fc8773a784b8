import { ROUTES } from '@berth/contracts';
import { cancelOperation } from '@berth/core';
import { apiRoute } from '../../../../../../server/api-route.ts';
import { hostJobs } from '../../../../../../server/host-jobs.ts';

export const POST = apiRoute(ROUTES.cancelOperation, ({ db, principal, params }) => cancelOperation({ db, principal, operationId: params.id, jobs: hostJobs() }));
