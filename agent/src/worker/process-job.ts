import { UnrecoverableError, type Job } from 'bullmq';
import { ZServerJob, type TServerJob, type TServerState } from '@berth/contracts';
import { JOBS, parseJob, type TJobName } from '@berth/jobs';
import { InvalidSpecError, type ContainerDriver } from '../driver/driver.ts';
import { HANDLERS } from '../handlers/index.ts';
import type { TReporter } from './reporter.ts';
import type { TServerLock } from './server-lock.ts';
import { processReconcileJob, RECONCILE_JOBS } from './process-reconcile-job.ts';
import { processBackupDeleteJob } from './process-backup-delete-job.ts';
import { doneKey, type TDoneJournal } from './done-journal.ts';
import { JobTimeoutError, withTimeout } from './with-timeout.ts';

export type TJobContext = { driver: ContainerDriver; reporter: TReporter; lock: TServerLock; hostId: string; journal: TDoneJournal };
/** The parts of a BullMQ job we use (a plain object in unit tests). */
export type TJobLike = Pick<Job, 'name' | 'data' | 'attemptsMade' | 'opts'>;

/** A server.* job this agent handles, with a self-consistent payload; anything else is unrecoverable. */
const parseServerJob = (job: TJobLike): TServerJob => {
  if (!HANDLERS[job.name as keyof typeof HANDLERS]) throw new UnrecoverableError(`${job.name} is not an agent job`);
  const data = ZServerJob.parse(parseJob(job.name, job.data).data);
  if (data.serverId !== data.spec.serverId) throw new UnrecoverableError('serverId and spec.serverId differ');
  if (data.migration && data.migration.spec.serverId !== data.serverId) throw new UnrecoverableError('the migration target\'s spec is for another server');
  return data;
};

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 4000);

/**
 * Run one host-queue job: validate, serialize per server, run its handler, report the outcome.
 * A failure is reported only when it is final (last attempt, or unrecoverable): the panel must not show
 * "failed" for an operation BullMQ is about to retry. The error is rethrown so BullMQ records it.
 */
export const processJob = async (ctx: TJobContext, job: TJobLike): Promise<TServerState> => {
  if (RECONCILE_JOBS.has(job.name)) return processReconcileJob(ctx, job);
  if (job.name === 'backup.delete@1') return processBackupDeleteJob(ctx, job);
  const attempt = job.attemptsMade + 1;
  const isFinal = (e: unknown) => e instanceof UnrecoverableError || attempt >= (job.opts.attempts ?? 1);
  const finished = (operationId: string, serverId: string, outcome: 'succeeded' | 'failed', state: TServerState | null, error: string | null, result?: Record<string, string | number>) =>
    ctx.reporter.finished({ operationId, serverId, hostId: ctx.hostId, outcome, state, error, attempt, ...(result ? { result } : {}) });

  let data: TServerJob;
  try {
    data = parseServerJob(job);
  } catch (e) {
    // Still close the operation if the payload names one, or it would hang in the panel forever.
    const loose = ZServerJob.pick({ operationId: true, serverId: true }).safeParse(job.data);
    if (loose.success) await finished(loose.data.operationId, loose.data.serverId, 'failed', null, message(e));
    throw e instanceof UnrecoverableError ? e : new UnrecoverableError(message(e));
  }
  const { operationId, serverId, spec, migration, snapshot, backup, restore } = data;
  const handler = HANDLERS[job.name as keyof typeof HANDLERS]!;

  return ctx.lock.run(serverId, async () => {
    const progress = async (step: string, percent: number) => {
      await ctx.reporter.progress({ operationId, hostId: ctx.hostId, step, progress: percent, attempt }).catch((e) => {
        console.warn(`progress report for ${operationId} failed: ${message(e)}`); // progress is advisory
      });
    };
    // Succeeded here already (the agent died before BullMQ heard): report it again, run nothing twice.
    const key = doneKey(operationId, job.name);
    const done = await ctx.journal.get(key);
    if (done) {
      await finished(operationId, serverId, 'succeeded', done.state, null, done.result);
      return done.state;
    }
    let out: Awaited<ReturnType<typeof handler>>;
    try {
      // A hung step (a wedged lxc-stop, a dead NFS) must not hold the server's lock forever.
      // A create from a backup is a restore in length: it gets a restore's time.
      const timeoutMs = JOBS[restore && job.name === 'server.create@1' ? 'server.restore@1' : job.name as TJobName].timeoutMs;
      out = await withTimeout(handler({ driver: ctx.driver, spec, migration, snapshot, backup, restore, progress }), timeoutMs, `${job.name} ${operationId}`);
    } catch (e) {
      if (e instanceof JobTimeoutError) console.error(`${e.message}: failing it and releasing ${serverId}'s lock (the step may still be running)`);
      // A spec this host cannot honour will not get better on retry; nor a timed-out job, whose step may
      // still run in the background: a retry would race it.
      const err = e instanceof InvalidSpecError || e instanceof JobTimeoutError ? new UnrecoverableError(e.message) : e;
      if (isFinal(err)) {
        const state = await ctx.driver.state(serverId).catch(() => null);
        await finished(operationId, serverId, 'failed', state, message(err));
      }
      throw err;
    }
    // The work is done: from here nothing reports a failure. A report that does not go out makes BullMQ
    // retry the job, which the journal answers.
    const { state, result } = typeof out === 'string' ? { state: out, result: undefined } : out;
    await ctx.journal.put(key, { state, ...(result ? { result } : {}) }).catch((e: unknown) => {
      console.warn(`${operationId}: could not journal its success (${message(e)}); a redelivery would run it again`);
    });
    await finished(operationId, serverId, 'succeeded', state, null, result);
    return state;
  });
};
