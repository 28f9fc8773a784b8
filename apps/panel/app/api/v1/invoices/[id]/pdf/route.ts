import { ROUTES } from '@berth/contracts';
import { renderInvoice } from '@berth/core';
import { apiRoute } from '../../../../../../server/api-route.ts';

export const GET = apiRoute(ROUTES.getInvoicePdf, async ({ db, principal, params, env }) => {
  const { pdf, filename } = await renderInvoice({ db, principal, invoiceId: params.id, seller: { name: env.BILLING_SELLER_NAME, lines: env.BILLING_SELLER_ADDRESS } });
  return { bytes: pdf, filename } as unknown as string; // a file: apiRoute sends it as application/pdf
});
