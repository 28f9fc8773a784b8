// npm run bench:backup [-- --data-mb 1024 --change-mb 10,100] — time and size of backups of a VPS holding
// 1 GB of data, through the public API, the real worker and agent and the host's backup target: a full
// backup, then an incremental after each change (random bytes: nothing compresses, so sizes are the worst
// case), a verify and a restore onto the VPS of the last one, and the same full backup of a VPS whose data compresses
// (text). Time = POST to the operation's success, as a customer sees it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { apiClient, pollUntil, type TApi } from '../e2e/support/api.ts';
import { ssh } from '../e2e/support/ssh.ts';
import { startStack } from '../e2e/support/stack.ts';

const { values } = parseArgs({ options: { 'data-mb': { type: 'string', default: '1024' }, 'change-mb': { type: 'string', default: '10,100' } } });
const DATA_MB = Number(values['data-mb']);
const CHANGES = values['change-mb'].split(',').map(Number);
const MB = 1024 * 1024;
const dir = mkdtempSync(path.join(tmpdir(), 'berth-bench-'));
const keyFile = path.join(dir, 'id');
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);

const finish = async (api: TApi, opId: string) => {
  let op = (await api.get(`/operations/${opId}?wait=60`)).body;
  while (op.status !== 'succeeded' && op.status !== 'failed') op = (await api.get(`/operations/${opId}?wait=60`)).body;
  if (op.status !== 'succeeded') throw new Error(`operation ${opId} failed: ${op.error}`);
};

const stack = await startStack({ env: { AGENT_HEARTBEAT_MS: '2000' } });
try {
  const api = apiClient(stack.baseUrl, stack.adminKey);
  // Room for the data: a plan with a 4 GB disk.
  const plan = await api.post('/plans', { name: `bench-backup-${Date.now()}`, cpuCores: 1, memoryMb: 512, diskGb: 4, priceCentsMonthly: 0 });
  if (plan.status !== 201) throw new Error(`plan: ${JSON.stringify(plan.body)}`);
  const template = (await api.get('/templates')).body.data[0];
  const order = async (hostname: string) => {
    const r = await api.post('/servers', { hostname, planId: plan.body.id, templateId: template.id, sshKeys: [readFileSync(`${keyFile}.pub`, 'utf8').trim()] });
    if (r.status !== 202) throw new Error(`create: ${r.status} ${JSON.stringify(r.body)}`);
    await pollUntil(`${hostname} running`, async () => (await api.get(`/servers/${r.body.server.id}`)).body.status, (s) => s === 'running', 300_000);
    return r.body.server as { id: string; ipv4: string };
  };
  const run = (ip: string, cmd: string) => {
    const r = ssh(keyFile, ip, cmd, 600);
    if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}`);
    return r.stdout;
  };
  const backup = async (serverId: string, kind: 'full' | 'incremental') => {
    const t0 = performance.now();
    const r = await api.post(`/servers/${serverId}/backups`, { kind });
    if (r.status !== 202) throw new Error(`backup: ${JSON.stringify(r.body)}`);
    await finish(api, r.body.operation.id);
    const b = (await api.get(`/backups/${r.body.backup.id}`)).body;
    return { id: b.id as string, seconds: (performance.now() - t0) / 1000, storedMb: b.storedBytes / MB, dataMb: b.dataBytes / MB, kind: b.kind as string };
  };
  const rows: string[] = [];
  const row = (what: string, b: { seconds: number; storedMb: number; dataMb: number; kind: string }) =>
    rows.push(`| ${what} | ${b.kind} | ${b.dataMb.toFixed(0)} | ${b.storedMb.toFixed(1)} | ${b.seconds.toFixed(2)} | ${(b.dataMb / b.seconds).toFixed(0)} |`);

  const vps = await order('bench-backup-random');
  run(vps.ipv4, `head -c ${DATA_MB}M /dev/urandom > /root/data.bin && sync`);
  const full = await backup(vps.id, 'full');
  row(`${DATA_MB} MB random data`, full);
  let last = full;
  for (const mb of CHANGES) {
    run(vps.ipv4, `dd if=/dev/urandom of=/root/data.bin bs=1M count=${mb} seek=${Math.floor(DATA_MB / 3)} conv=notrunc status=none && sync`);
    last = await backup(vps.id, 'incremental');
    row(`after a ${mb} MB change`, last);
  }
  // A verify reads the whole chain back (every chunk of the disk, from the full's and the incrementals' packs).
  const tv = performance.now();
  const verify = await api.post(`/backups/${last.id}/verify`);
  if (verify.status !== 202) throw new Error(`verify: ${JSON.stringify(verify.body)}`);
  await finish(api, verify.body.operation.id);
  const verifyS = (performance.now() - tv) / 1000;
  const sum = run(vps.ipv4, 'sha256sum /root/data.bin');
  const t0 = performance.now();
  const restore = await api.post(`/backups/${last.id}/restore`);
  if (restore.status !== 202) throw new Error(`restore: ${JSON.stringify(restore.body)}`);
  await finish(api, restore.body.operation.id);
  const restoreS = (performance.now() - t0) / 1000;
  if (run(vps.ipv4, 'sha256sum /root/data.bin') !== sum) throw new Error('the restored data differs');

  const text = await order('bench-backup-text');
  // Compressible data (repeated text lines) shows what gzip saves on typical files.
  run(text.ipv4, `yes 'Berth backup benchmark line: the quick brown fox jumps over the lazy dog 0123456789' | head -c ${DATA_MB}M > /root/data.txt && sync`);
  row(`${DATA_MB} MB of text`, await backup(text.id, 'full'));

  console.log(`\nbench:backup — VPS with ${DATA_MB} MB of data (plan: 1 core, 512 MB, 4 GB disk), through the API\n`);
  console.log('| backup | kind | data on disk (MB) | stored (MB) | time POST -> done (s) | MB/s of data |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
  console.log(`\nverify of the last incremental (every chunk read back and checked, nothing written): ${verifyS.toFixed(2)} s for ${full.dataMb.toFixed(0)} MB of data`);
  console.log(`restore of the last incremental onto the VPS (rebuilt, checked, swapped, booted until SSH answers): ${restoreS.toFixed(2)} s; data sha256 matched`);
  for (const s of [vps, text]) await api.del(`/servers/${s.id}`);
} finally {
  await stack.stop();
}
