// Currencies whose minor unit is not 1/100 (ISO 4217 exponents).
const EXPONENT: Record<string, number> = { JPY: 0, KRW: 0, VND: 0, CLP: 0, ISK: 0, UGX: 0, XAF: 0, XOF: 0, BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3 };

/** Integer minor units as text, e.g. 1234 USD -> "USD 12.34"; no float arithmetic. */
export const formatMoney = (cents: number, currency: string): string => {
  const exp = EXPONENT[currency] ?? 2;
  const abs = Math.abs(cents).toString().padStart(exp + 1, '0');
  const units = exp ? `${abs.slice(0, -exp)}.${abs.slice(-exp)}` : abs;
  return `${cents < 0 ? '-' : ''}${currency} ${units}`;
};
