// The e2e stack runs without an agent (no LXC): when a spec needs a server past "provisioning", the agent's
// final report is applied through core, exactly as the worker applies it off the agent-events queue.
import type { TServerState } from '@berth/contracts';
import { applyFinished } from '@berth/core';
import { createDb } from '@berth/db';

type TOptions = { serverId: string; hostId: string; operationId: string; state?: TServerState };

/** The operation succeeded on the host and left the server `state` (running by default; a destroy: absent). */
export const reportSucceeded = async ({ serverId, hostId, operationId, state = 'running' }: TOptions) => {
  const url = process.env.BERTH_E2E_DATABASE_URL;
  if (!url) throw new Error('BERTH_E2E_DATABASE_URL is not set: the private stack of playwright.config.ts sets it');
  const db = createDb(url, { max: 2 });
  try {
    await applyFinished({ db, event: { operationId, serverId, hostId, outcome: 'succeeded', state, error: null, attempt: 1 } });
  } finally {
    await db.$disconnect();
  }
};
