import type { Plan } from '@berth/db';

export type TResources = { cpuCores: number; memoryMb: number; diskGb: number };

/** What moving from one plan to another adds (`grow`, reserved up front) and frees (`shrink`, on success). */
export const planDelta = (from: Plan, to: Plan): { grow: TResources; shrink: TResources } => {
  const d = { cpuCores: to.cpuCores - from.cpuCores, memoryMb: to.memoryMb - from.memoryMb, diskGb: to.diskGb - from.diskGb };
  const part = (sign: 1 | -1): TResources => ({
    cpuCores: Math.max(0, sign * d.cpuCores),
    memoryMb: Math.max(0, sign * d.memoryMb),
    diskGb: Math.max(0, sign * d.diskGb),
  });
  return { grow: part(1), shrink: part(-1) };
};
