import type { THostInventoryEvent } from '@berth/contracts';

/**
 * When the agent looked (its clock; hosts keep NTP time), never later than `now`: operations that began or
 * ended after it may have changed what the report shows, so their servers wait for the next report.
 */
export const reportTakenAt = (event: Pick<THostInventoryEvent, 'at'>, now: Date): Date =>
  new Date(Math.min(Date.parse(event.at) || now.getTime(), now.getTime()));
