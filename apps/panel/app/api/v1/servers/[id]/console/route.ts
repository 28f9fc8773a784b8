import { ROUTES } from '@berth/contracts';
import { openConsole } from '@berth/core';
import { apiRoute } from '../../../../../../server/api-route.ts';

export const POST = apiRoute(ROUTES.openConsole, ({ db, env, principal, params }) => openConsole({ db, principal, serverId: params.id, signingKey: env.CONSOLE_SIGNING_KEY }));
