import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '@berth/db/testing';
import { buildServerJob } from '../operations/build-server-job.ts';
import { reinstallServer } from './reinstall-server.ts';
import { createFor, expectAppError, finish, makeTemplate, makeWorld, sshPublicKey } from '../testing/fixtures.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { t = await createTestDatabase(); });
afterAll(async () => t?.drop());

it('rebuilds from the chosen template with the new credentials, and records the template on success', async () => {
  const { db } = t;
  const w = await makeWorld(db);
  const other = await makeTemplate(db, { imageRef: 'debian-12-other' });
  const { server, operation } = await createFor(db, w.principal, w.plan.id, w.template.id);
  const at = (operationId: string) => ({ operationId, serverId: server.id, hostId: w.host.id });
  await expectAppError(reinstallServer({ db, principal: w.principal, serverId: server.id, input: {} }), 'operation_in_progress');
  await finish(db, at(operation.id), 'succeeded', { state: 'running' });

  const bad = await expectAppError(reinstallServer({ db, principal: w.principal, serverId: server.id, input: { templateId: 'tpl_nosuchtemplate' } }), 'validation_failed');
  expect(bad.fieldErrors?.[0]?.path).toBe('templateId');

  const key = sshPublicKey();
  const { operation: op } = await reinstallServer({ db, principal: w.principal, serverId: server.id, input: { templateId: other.id, sshKeys: [key], rootPassword: 'a new password' } });
  expect(op).toMatchObject({ type: 'reinstall', status: 'queued' });
  const job = await buildServerJob({ db, operationId: op.id });
  expect(job?.spec.imageRef).toBe('debian-12-other');
  expect(job?.spec.access.sshKeys).toEqual([key]);
  expect(job?.spec.access.rootPasswordHash).toMatch(/^\$6\$/);
  expect((await db.server.findUniqueOrThrow({ where: { id: server.id } })).templateId).toBe(w.template.id); // not yet

  await finish(db, at(op.id), 'succeeded', { state: 'running' });
  expect(await db.server.findUniqueOrThrow({ where: { id: server.id } })).toMatchObject({ templateId: other.id, status: 'running' });
});
