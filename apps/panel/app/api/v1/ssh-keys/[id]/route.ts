import { ROUTES } from '@berth/contracts';
import { deleteSshKey } from '@berth/core';
import { apiRoute } from '../../../../../server/api-route.ts';

export const DELETE = apiRoute(ROUTES.deleteSshKey, ({ db, principal, params }) => deleteSshKey({ db, principal, sshKeyId: params.id }));
