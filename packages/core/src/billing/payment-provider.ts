/**
 * Where money comes from. Billing only ever sees a payment as (tenant, amount, provider, reference) and
 * records it with recordPayment; a gateway is a provider that turns its notifications into that, so adding
 * one never touches billing. `manual` (bank transfer, cash, a gateway's dashboard) is recorded by an admin.
 */
export type TPaymentProvider = {
  name: string;
  /** Whether an admin may record payments of this provider by hand through the API. */
  manual: boolean;
};

export const PAYMENT_PROVIDERS: readonly TPaymentProvider[] = [{ name: 'manual', manual: true }];

export const findPaymentProvider = (name: string): TPaymentProvider | undefined => PAYMENT_PROVIDERS.find((p) => p.name === name);
