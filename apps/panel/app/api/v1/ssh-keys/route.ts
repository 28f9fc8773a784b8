import { ROUTES } from '@berth/contracts';
import { addSshKey, listSshKeys } from '@berth/core';
import { apiRoute } from '../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.listSshKeys, ({ db, principal, query }) => listSshKeys({ db, principal, query }));
export const POST = apiRoute(ROUTES.createSshKey, ({ db, principal, body }) => addSshKey({ db, principal, input: body }));
