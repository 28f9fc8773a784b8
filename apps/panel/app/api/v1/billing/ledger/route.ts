import { ROUTES } from '@berth/contracts';
import { addLedgerEntry, listLedger } from '@berth/core';
import { apiRoute } from '../../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.listLedger, ({ db, principal, query }) => listLedger({ db, principal, query }));
export const POST = apiRoute(ROUTES.createLedgerEntry, ({ db, principal, body }) => addLedgerEntry({ db, principal, input: body }));
