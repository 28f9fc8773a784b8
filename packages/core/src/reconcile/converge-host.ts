import type { THostInventoryEvent } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { reconcileHostInventory } from '../hosts/reconcile-host-inventory.ts';
import { recordOrphans } from './record-orphans.ts';

type TOptions = { db: TDb; event: THostInventoryEvent; now?: Date };

/**
 * Converge Postgres and one host's report: bring back what should run and flag what is lost
 * (reconcileHostInventory), then record what has no owner or needs an admin (recordOrphans). The
 * quarantines it decides are sent by dispatchQuarantines. Idempotent; bounded by this host's servers.
 */
export const convergeHost = async ({ db, event, now = new Date() }: TOptions) => {
  const power = await reconcileHostInventory({ db, event, now });
  const orphans = await recordOrphans({ db, event, now });
  return { ...power, ...orphans };
};
