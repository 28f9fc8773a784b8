'use client';
import { useState } from 'react';
import type { TOperation } from '@berth/contracts';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { useApiCall } from './use-api-call.ts';

type TProps = {
  serverId: string;
  hostname: string;
  ipv4: string | null;
  /** The server runs the rescue system now: offer to leave it. */
  rescue: boolean;
  /** Why the API would refuse now; null: it may accept. */
  blocked: string | null;
};

/** Boot the rescue system (asked first, saying how to get in) or leave it for the server's own system. */
export function RescueControl({ serverId, hostname, ipv4, rescue, blocked }: TProps) {
  const { busy, message, run } = useApiCall();
  const [asking, setAsking] = useState(false);
  const send = (enabled: boolean) => void run<{ operation: TOperation }>(enabled ? 'enter' : 'leave', `/api/v1/servers/${serverId}/rescue`, { method: 'POST', body: { enabled } });
  const ssh = ipv4 ? `ssh root@${ipv4}` : 'ssh root@<its address>';

  return (
    <div className="stack-sm">
      {message && <p className="alert alert-error" role="alert">{message}</p>}
      <div className="section-actions">
        {rescue ? (
          <button type="button" className="btn btn-primary" disabled={!!busy || !!blocked} onClick={() => send(false)}>
            {busy ? 'Leaving rescue mode…' : 'Leave rescue mode'}
          </button>
        ) : (
          <button type="button" className="btn" disabled={!!busy || !!blocked} onClick={() => setAsking(true)}>
            {busy ? 'Booting rescue system…' : 'Boot rescue system'}
          </button>
        )}
        {blocked && <span className="hint">{blocked}</span>}
      </div>
      {!rescue && (
        <p className="hint">For repairs when the server no longer boots or you are locked out: a small system starts with this server&apos;s disk at /mnt.</p>
      )}

      <ConfirmDialog open={asking} title={`Boot ${hostname} into the rescue system?`} confirmLabel="Boot rescue system"
        onConfirm={() => send(true)} onClose={() => setAsking(false)}>
        <p>
          The server is stopped and boots a small rescue system instead of its own. <strong>Its disk is mounted at /mnt</strong>:
          repair files, read logs or copy data off it (<code>chroot /mnt</code> to work inside it).
        </p>
        <p>
          Log in as root with the server&apos;s own SSH keys or root password (<code>{ssh}</code>), or use the web console on this
          page. Until you leave rescue mode only power actions and the console are available.
        </p>
      </ConfirmDialog>
    </div>
  );
}
