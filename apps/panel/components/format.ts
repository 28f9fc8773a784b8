// Display helpers shared by server and client components; pure, so safe in the browser.
import type { TPlan, TServerStatus } from '@berth/contracts';

export const formatMemory = (mb: number): string => (mb >= 1024 && mb % 1024 === 0 ? `${mb / 1024} GB` : `${mb} MB`);

export const formatCores = (cores: number): string => `${cores} vCPU`;

export const formatPrice = (cents: number): string => `$${(cents / 100).toFixed(2)}/mo`;

export const formatPlanSpecs = (p: Pick<TPlan, 'cpuCores' | 'memoryMb' | 'diskGb'>): string =>
  `${formatCores(p.cpuCores)} · ${formatMemory(p.memoryMb)} RAM · ${p.diskGb} GB disk`;

/** UTC on purpose: the server renders it, so the viewer's time zone is unknown. */
export const formatDate = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

export const TRANSITIONAL_STATUSES: readonly TServerStatus[] = ['provisioning', 'deleting'];
