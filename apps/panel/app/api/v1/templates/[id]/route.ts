import { ROUTES } from '@berth/contracts';
import { updateTemplate } from '@berth/core';
import { apiRoute } from '../../../../../server/api-route.ts';

export const PATCH = apiRoute(ROUTES.updateTemplate, ({ db, principal, params, body }) => updateTemplate({ db, principal, templateId: params.id, input: body }));
