import type { TOperation } from '@berth/contracts';
import { formatDate } from './format.ts';

const VERB: Record<TOperation['type'], string> = {
  create: 'Create', start: 'Start', stop: 'Stop', restart: 'Restart', destroy: 'Delete', resize: 'Resize', reinstall: 'Reinstall', network: 'Network policy',
  migrate: 'Move to another host', snapshot: 'Snapshot', snapshot_restore: 'Roll back to snapshot', snapshot_delete: 'Delete snapshot',
  backup: 'Backup', restore: 'Restore from backup', rescue: 'Boot rescue system', unrescue: 'Leave rescue mode',
  backup_verify: 'Verify backup',
};

// The steps the agent reports (agent/src/handlers), in order, with what a person reads for each. A step
// matches the reported one by its start: some carry figures ("copying disk (120 of ~219 MB)").
const STEPS: Partial<Record<TOperation['type'], [step: string, label: string][]>> = {
  create: [['creating disk and config', 'Disk and configuration'], ['booting', 'Booting until SSH answers'], ['ready', 'SSH ready']],
  reinstall: [['wiping and rebuilding the disk', 'Fresh disk from the template'], ['booting', 'Booting until SSH answers'], ['ready', 'SSH ready']],
  restart: [['stopping', 'Stopping'], ['booting', 'Booting until SSH answers'], ['ready', 'SSH ready']],
  start: [['booting', 'Booting until SSH answers'], ['ready', 'SSH ready']],
  snapshot: [['freezing and taking the snapshot', 'Snapshot taken (frozen for milliseconds)'], ['snapshot taken', 'Snapshot ready']],
  backup: [['freezing for a consistent copy', 'Consistent copy (frozen for milliseconds)'], ['copying the disk', 'Compressing and writing changed chunks'], ['backup written', 'Backup written']],
  restore: [['reading the backup', 'Reading the backup'], ['restoring the disk', 'Rebuilding the disk (checked)'], ['putting the restored disk in place', 'Swapping the disk (stopped)'], ['booting', 'Booting until SSH answers'], ['ready', 'SSH ready']],
  snapshot_restore: [['stopping and rolling the disk back', 'Rolling the disk back (stopped)'], ['booting', 'Booting until SSH answers'], ['ready', 'SSH ready']],
  rescue: [['stopping and preparing the rescue system', 'Preparing the rescue system'], ['booting the rescue system', 'Booting it'], ['rescue system ready', 'Rescue system ready']],
  backup_verify: [['reading the manifest', 'Reading the manifest'], ['checking the chunks', 'Checking every chunk'], ['verified', 'Verified']],
  unrescue: [['leaving rescue mode', 'Leaving rescue mode'], ['booting', 'Booting until SSH answers'], ['ready', 'SSH ready']],
  migrate: [
    ['copying disk', 'Copying the disk while it runs'], ['stopping for the final copy', 'Final copy (stopped)'],
    ['starting on the target', 'Starting on the target'], ['running on the target', 'Running on the target'],
  ],
};

// Reports that stand for one of the listed steps: a stopped VPS moves cold, and a resumed move only cleans up.
const ALIASES: Record<string, string> = {
  'final copy': 'stopping for the final copy', 'installed on the target': 'running on the target', 'removing the copy on the source': 'running on the target',
};

const stepIndex = (op: TOperation, steps: [string, string][]) => {
  const step = op.step ? (ALIASES[op.step] ?? op.step) : null;
  return step ? steps.findIndex(([s]) => step === s || step.startsWith(`${s} `)) : -1;
};

type TStepState = 'done' | 'current' | 'pending' | 'failed';

const stepStates = (op: TOperation, steps: [string, string][]): TStepState[] => {
  const at = stepIndex(op, steps);
  return steps.map((_, i) => {
    if (op.status === 'succeeded') return 'done';
    if (at < 0) return op.status === 'running' && i === 0 ? 'current' : 'pending';
    if (i < at) return 'done';
    if (i > at) return 'pending';
    return op.status === 'failed' ? 'failed' : 'current';
  });
};

const MARK: Record<TStepState, string> = { done: '✓', current: '…', pending: '', failed: '✕' };

/** The latest operation of a server: what, how far (steps and a bar), and why it failed. */
export function OperationStatus({ op }: { op: TOperation | undefined }) {
  if (!op) return <p className="muted">No operations yet.</p>;
  const active = op.status === 'queued' || op.status === 'running';
  const steps = STEPS[op.type];
  const at = steps ? stepIndex(op, steps) : -1;
  return (
    <div className="operation" data-testid="operation">
      <div className="operation-head">
        <strong>{VERB[op.type]}</strong>
        <span className={`badge badge-op-${op.status}`} data-testid="operation-status">{op.status}</span>
        <span className="muted">{op.progress}%</span>
      </div>
      <progress max={100} value={op.progress} aria-label={`${VERB[op.type]} progress`} className={active ? 'progress-active' : ''} />
      {steps ? (
        <ol className="steps" aria-label={`${VERB[op.type]} steps`}>
          {steps.map(([key, label], i) => {
            const state = stepStates(op, steps)[i]!;
            return (
              <li key={key} className={`step step-${state}`} aria-current={state === 'current' ? 'step' : undefined}>
                <span className="step-mark" aria-hidden="true">{MARK[state]}</span>{label}
                {/* The agent's own words carry the figures: MB copied, seconds offline. */}
                {i === at && op.step !== key && <span className="muted small">{op.step}</span>}
              </li>
            );
          })}
        </ol>
      ) : op.step && <p className="muted small">Step: {op.step}</p>}
      {op.status === 'queued' && <p className="muted small">Waiting for the host to pick it up.</p>}
      {op.error && <p className="alert alert-error small">{op.error}</p>}
      <p className="muted small">
        Queued {formatDate(op.createdAt)}
        {op.finishedAt && <> · finished {formatDate(op.finishedAt)}</>}
        {op.attempts > 1 && <> · attempt {op.attempts}</>}
      </p>
    </div>
  );
}
