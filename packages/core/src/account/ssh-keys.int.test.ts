// Saved SSH keys: per user, fingerprinted, installable by id on create and reinstall.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '@berth/db/testing';
import { buildServerJob } from '../operations/build-server-job.ts';
import { createFor, expectAppError, makePrincipal, makeWorld } from '../testing/fixtures.ts';
import { addSshKey } from './add-ssh-key.ts';
import { deleteSshKey } from './delete-ssh-key.ts';
import { listSshKeys } from './list-ssh-keys.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { t = await createTestDatabase(); });
afterAll(async () => t?.drop());

const keypair = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'berth-ssh-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'id')]);
  const pub = readFileSync(path.join(dir, 'id.pub'), 'utf8').trim();
  const fp = execFileSync('ssh-keygen', ['-lf', path.join(dir, 'id.pub')], { encoding: 'utf8' }).split(' ')[1];
  return { pub, fp };
};

it('saves keys per user with ssh-keygen\'s fingerprint, and installs them by id', async () => {
  const { db } = t;
  const w = await makeWorld(db, { cidr: '198.18.0.0/24' });
  const me = { ...w.principal, scopes: ['servers:read', 'servers:write', 'account:read', 'account:write'] };
  const other = await makePrincipal(db, { scopes: me.scopes });
  const k = keypair();
  const saved = await addSshKey({ db, principal: me, input: { name: 'laptop', publicKey: k.pub } });
  expect(saved.fingerprint).toBe(k.fp);
  await expectAppError(addSshKey({ db, principal: me, input: { name: 'again', publicKey: k.pub } }), 'conflict');
  expect((await listSshKeys({ db, principal: other, query: { limit: 50 } })).data).toEqual([]);

  const inline = keypair().pub;
  const { operation } = await createFor(db, me, w.plan.id, w.template.id, { sshKeys: [inline], sshKeyIds: [saved.id] });
  expect((await buildServerJob({ db, operationId: operation.id }))?.spec.access.sshKeys).toEqual([inline, k.pub]);
  const err = await expectAppError(createFor(db, other, w.plan.id, w.template.id, { sshKeyIds: [saved.id] }), 'validation_failed');
  expect(err.fieldErrors?.[0]?.path).toBe('sshKeyIds'); // someone else's key is unknown

  await expectAppError(deleteSshKey({ db, principal: other, sshKeyId: saved.id }), 'not_found');
  await deleteSshKey({ db, principal: me, sshKeyId: saved.id });
  expect((await listSshKeys({ db, principal: me, query: { limit: 50 } })).data).toEqual([]);
});
