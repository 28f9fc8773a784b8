// Display helpers shared by server and client components; pure, so safe in the browser.
import type { TPlan, TServerStatus } from '@berth/contracts';

export const formatMemory = (mb: number): string => (mb >= 1024 && mb % 1024 === 0 ? `${mb / 1024} GB` : `${mb} MB`);

export const formatCores = (cores: number): string => `${cores} vCPU`;

export const formatPrice = (cents: number): string => `$${(cents / 100).toFixed(2)}/mo`;

export const formatHourly = (cents: number): string => `$${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

export const formatPlanSpecs = (p: Pick<TPlan, 'cpuCores' | 'memoryMb' | 'diskGb'>): string =>
  `${formatCores(p.cpuCores)} · ${formatMemory(p.memoryMb)} RAM · ${p.diskGb} GB disk`;

/** UTC on purpose: the server renders it, so the viewer's time zone is unknown. */
export const formatDate = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

export const TRANSITIONAL_STATUSES: readonly TServerStatus[] = ['provisioning', 'deleting'];

const MINOR_EXPONENT: Record<string, number> = { JPY: 0, KRW: 0, VND: 0, CLP: 0, ISK: 0, UGX: 0, XAF: 0, XOF: 0, BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3 };

/**
 * "12.34" in a currency -> 1234 minor units, by string arithmetic (no float rounding); null when it is
 * not a plain amount with at most the currency's decimals.
 */
export const toMinorUnits = (text: string, currency: string): number | null => {
  const exp = MINOR_EXPONENT[currency] ?? 2;
  const m = /^(-?)(\d{1,9})(?:\.(\d+))?$/.exec(text.trim());
  if (!m || (m[3] ?? '').length > exp) return null;
  const n = Number(m[2]! + (m[3] ?? '').padEnd(exp, '0'));
  return m[1] ? -n : n;
};
