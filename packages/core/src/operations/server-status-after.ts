import type { TOperationType, TServerState } from '@berth/contracts';
import type { ServerStatus } from '@berth/db';

// Operations that leave the power state as it was (a snapshot or backup of a stopped server leaves it stopped),
// or as the agent found it (leaving rescue succeeds even when the server's own system then fails to boot).
const KEEPS_POWER = new Set<TOperationType>(['resize', 'network', 'migrate', 'snapshot', 'snapshot_delete', 'backup', 'unrescue']);

/** The server status an operation's outcome leads to; on failure, what the agent observed wins. */
export const serverStatusAfter = (type: TOperationType, outcome: 'succeeded' | 'failed', state: TServerState | null): ServerStatus => {
  if (outcome === 'succeeded') {
    if (type === 'destroy') return 'deleted';
    if (type === 'stop') return 'stopped';
    // A resize or a network policy change keeps the power state.
    if (KEEPS_POWER.has(type)) return state === 'stopped' ? 'stopped' : 'running';
    return 'running';
  }
  if (type === 'create' || type === 'destroy' || type === 'reinstall') return 'error';
  if (state === 'running') return 'running';
  if (state === 'stopped') return 'stopped';
  return 'error';
};
