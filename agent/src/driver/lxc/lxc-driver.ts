import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TServerSpec, TServerState } from '@berth/contracts';
import { revert } from '../../exec/revert.ts';
import { run } from '../../exec/run.ts';
import { idmapDelegated } from '../../host/subids.ts';
import { allowPort, forgetPort, setPeers, setRate } from '../../network/firewall.ts';
import { pointMacAt } from '../../network/bridge.ts';
import { BRIDGE, vethName } from '../../network/names.ts';
import { renewMachineId, writeFirstBootFiles, writeNetworkIdentity, validateIdentity } from '../../storage/first-boot.ts';
import { deleteImage, ensureImage, fitImage, growOnline, imageBytes, mountImage, rootfsDevice, unmountImage } from '../../storage/image.ts';
import { checkServerId, storagePaths } from '../../storage/paths.ts';
import { ensurePoolRoom } from '../../storage/pool-room.ts';
import { InvalidSpecError, type ContainerDriver } from '../driver.ts';
import { renderConfig } from './config.ts';
import { blkioSettings, blkioValues, cfsQuotaUs, cpuSeed, cpusetFor, liveLimitWrites } from './limits.ts';
import { lxcAnnounce, lxcCgroup, lxcCgroupGet, lxcDestroy, lxcInfoState, lxcStart, lxcStop, type TLxc } from './lxc-cli.ts';
import { purgeQuarantined, quarantineContainer } from './quarantine.ts';
import { allocatedBytes, dropCopy, frozenReflink, reflinkTo } from './disk-points.ts';
import { dropRescueDisk, mountRescueDisk, prepareRescueDisk } from './rescue.ts';
import { waitReady } from './ready.ts';

const GiB = 1024 ** 3;

/**
 * `owner`: who this agent is (agentOwner: queue prefix and host id), marked on what it makes, so agents sharing
 * a machine (test stacks do) never reconcile each other's containers.
 */
/** poolReservePct: share of the pool kept free for the running VPSes' growth (snapshots and restores stop short of it). */
export type TLxcDriverOptions = { dataDir: string; lxcPath: string; stopTimeoutS?: number; readyTimeoutMs?: number; owner?: string; poolReservePct?: number };

const exists = (p: string) => stat(p).then(() => true, () => false);

/** ContainerDriver on the lxc-* CLI: one unprivileged system container per VPS, named by its server id. */
export const createLxcDriver = (o: TLxcDriverOptions): ContainerDriver => {
  const paths = storagePaths(o.dataDir);
  const dirOf = (id: string) => path.join(o.lxcPath, checkServerId(id));
  const lxc = (id: string): TLxc => ({ lxcPath: o.lxcPath, name: id, logFile: path.join(dirOf(id), 'lxc.log') });
  // Marks a VPS whose first-boot files are written: after it has booted, its disk belongs to the customer.
  const provisioned = (id: string) => path.join(dirOf(id), 'berth-provisioned');
  // Where a VPS that arrived by migration came from (the operation that moved it here).
  const origin = (id: string) => path.join(dirOf(id), 'berth-origin');
  // Which agent made the container (agentOwner); its disk carries the same mark beside it.
  const owner = (id: string) => path.join(dirOf(id), 'berth-host');
  // Present while the VPS is in rescue mode: its starts boot the rescue system.
  const rescueMark = (id: string) => path.join(dirOf(id), 'berth-rescue');
  const inRescue = (id: string) => exists(rescueMark(id));
  const markImage = async (id: string) => {
    if (o.owner) await writeFile(paths.imageOwner(id), `${o.owner}\n`);
  };

  const validate = (spec: TServerSpec) => {
    checkServerId(spec.serverId);
    validateIdentity(spec);
    if (spec.network.bridge !== BRIDGE) throw new InvalidSpecError(`bridge ${spec.network.bridge} is not ${BRIDGE}`);
    if (!idmapDelegated(spec.idmap.uidBase, spec.idmap.count)) throw new InvalidSpecError('idmap outside /etc/subuid');
  };

  const writeConfig = async (spec: TServerSpec) => {
    const c = lxc(spec.serverId);
    await mkdir(dirOf(spec.serverId), { recursive: true, mode: 0o750 });
    const rescue = await inRescue(spec.serverId);
    const text = rescue
      ? renderConfig({ spec, rootfs: paths.rescueRootfs(spec.serverId), logFile: c.logFile, binds: [{ source: paths.rootfs(spec.serverId), target: 'mnt' }] })
      : renderConfig({ spec, rootfs: paths.rootfs(spec.serverId), logFile: c.logFile });
    if (o.owner) await writeFile(owner(spec.serverId), `${o.owner}\n`);
    await writeFile(path.join(dirOf(spec.serverId), 'config'), text, { mode: 0o640 });
  };

  // What the start-host hook applies at every boot: the plan's values, on the current loop device.
  const liveWrites = (spec: TServerSpec, currentMemoryBytes: number, device: string) =>
    liveLimitWrites(spec.limits, currentMemoryBytes, device, cpusetFor(spec.limits, cpuSeed(spec)));
  const writeLimits = async (spec: TServerSpec, device: string, currentMemoryBytes = 0) => {
    const lines = liveWrites(spec, currentMemoryBytes, device).map(([k, v]) => `${k} ${v}`);
    await writeFile(path.join(dirOf(spec.serverId), 'limits'), `${lines.join('\n')}\n`, { mode: 0o640 });
  };

  const state = async (id: string): Promise<TServerState> => {
    if (!(await exists(path.join(dirOf(id), 'config')))) return 'absent';
    return (await lxcInfoState(lxc(id))) === 'STOPPED' ? 'stopped' : 'running';
  };

  const driver: ContainerDriver = {
    state,

    async create(spec) {
      validate(spec);
      const id = spec.serverId;
      // A retried create whose VPS already booted: its disk is in use and belongs to the customer now.
      if ((await state(id)) === 'running') return writeConfig(spec);
      const r = revert();
      try {
        // A fresh create that fails is rolled back entirely; a retry then starts clean (it costs ~50 ms).
        const fresh = !(await exists(provisioned(id)));
        if (fresh) r.add(() => unmountImage(paths, id).then(() => deleteImage(paths, id)));
        if (fresh) r.add(() => rm(dirOf(id), { recursive: true, force: true }));
        await markImage(id); // before the disk exists: a half-made disk is never taken for another's
        await ensureImage(paths, spec);
        await mountImage(paths, id, spec.idmap);
        await writeConfig(spec);
        if (fresh) {
          await writeFirstBootFiles(paths.mountpoint(id), spec);
          await writeFile(provisioned(id), `${new Date().toISOString()}\n`);
        }
        r.success();
      } finally {
        await r.fail();
      }
    },

    async start(spec) {
      validate(spec);
      const id = spec.serverId;
      const c = lxc(id);
      if ((await state(id)) === 'absent' || !(await exists(provisioned(id)))) throw new Error(`${id} is not created`);
      if ((await state(id)) === 'running') return waitReady(c, spec.network.ipv4, o.readyTimeoutMs);
      const r = revert();
      try {
        await ensureImage(paths, spec); // grows the disk if the plan did
        await mountImage(paths, id, spec.idmap);
        if (await inRescue(id)) await mountRescueDisk(paths, spec);
        await writeConfig(spec);
        // Fail closed: without its filter elements the VPS does not start.
        await allowPort(vethName(id), spec.network.mac, spec.network.ipv4, spec.network);
        await setPeers(vethName(id), spec.network.peers.map(vethName));
        await setRate(vethName(id), spec.network.rateMbit);
        const device = await rootfsDevice(paths, id);
        await writeLimits(spec, device);
        await lxcStart(c, blkioSettings(spec.limits, device));
        r.add(() => lxcStop(c, { kill: true })); // never leave a half-booted VPS behind
        await pointMacAt(vethName(id), spec.network.mac);
        // Boot boost: a 0.5-core quota and an IOPS cap make boot ~3x slower, so both are lifted (cpu.shares
        // still divide a busy host) until the VPS is ready, then the plan's apply. The container's config
        // keeps the plan's values, so a reboot from inside gets no boost; if they cannot be set back, the
        // revert stops the VPS.
        const io = blkioValues(spec.limits, device);
        await lxcCgroup(c, 'cpu.cfs_quota_us', '-1');
        for (const [key] of io) await lxcCgroup(c, key, `${device} 0`);
        await waitReady(c, spec.network.ipv4, o.readyTimeoutMs);
        await lxcCgroup(c, 'cpu.cfs_quota_us', String(cfsQuotaUs(spec.limits)));
        for (const [key, value] of io) await lxcCgroup(c, key, value);
        await lxcAnnounce(c, spec.network.ipv4);
        r.success();
      } finally {
        await r.fail();
      }
    },

    async stop(spec) {
      if ((await state(spec.serverId)) !== 'running') return;
      await lxcStop(lxc(spec.serverId), { timeoutS: o.stopTimeoutS ?? 30 });
    },

    async resize(spec) {
      validate(spec);
      const id = spec.serverId;
      const c = lxc(id);
      const st = await state(id);
      if (st === 'absent') throw new Error(`${id} is not created`);
      if (st !== 'running') {
        await ensureImage(paths, spec); // grows or shrinks offline (refusing a shrink below its data); the next start mounts it
        return writeConfig(spec);
      }
      if ((await imageBytes(paths, id)) > spec.limits.diskGb * 1024 ** 3) {
        throw new InvalidSpecError('invalid_state: a disk only shrinks while its server is stopped.');
      }
      await writeConfig(spec); // what every later boot gets
      await setRate(vethName(id), spec.network.rateMbit); // a plan change may lift or set a transfer cap
      const current = Number(await lxcCgroupGet(c, 'memory.limit_in_bytes'));
      const device = await rootfsDevice(paths, id);
      await writeLimits(spec, device, current); // a later reboot from inside keeps the new plan
      for (const [key, value] of liveWrites(spec, current, device)) await lxcCgroup(c, key, value);
      if (!(await growOnline(paths, spec))) console.warn(`${id}: this host cannot grow ext4 online; the disk grows at the next start`);
    },

    async applyNetwork(spec) {
      validate(spec);
      // Filter entries only: valid whether the VPS runs or not, and applied without touching it.
      await allowPort(vethName(spec.serverId), spec.network.mac, spec.network.ipv4, spec.network);
      await setPeers(vethName(spec.serverId), spec.network.peers.map(vethName));
      await setRate(vethName(spec.serverId), spec.network.rateMbit);
    },

    async reinstall(spec) {
      validate(spec);
      const id = spec.serverId;
      // The old disk is going: no clean shutdown owed. A retry simply wipes a half-made disk again.
      if ((await state(id)) === 'running') await lxcStop(lxc(id), { kill: true });
      await unmountImage(paths, id);
      await deleteImage(paths, id);
      await rm(provisioned(id), { force: true });
      await driver.create(spec); // fresh image, new host keys, the stored SSH keys / password
    },

    async destroy(spec) {
      const id = checkServerId(spec.serverId);
      if ((await state(id)) === 'running') await lxcStop(lxc(id), { kill: true }); // its data is going anyway
      await forgetPort(vethName(id));
      await dropRescueDisk(paths, id);
      await unmountImage(paths, id); // before lxc-destroy, which would otherwise empty the mounted disk
      if (await exists(path.join(dirOf(id), 'config'))) await lxcDestroy(lxc(id));
      await rm(dirOf(id), { recursive: true, force: true });
      await deleteImage(paths, id);
      // Snapshots are of this disk on this host; backups live in their target and outlive the VPS.
      await rm(paths.snapshots(id), { recursive: true, force: true });
      // Scratch a crashed backup or restore left (and a freeze mark): nothing of the VPS stays on the pool.
      const scratch = (await readdir(paths.work).catch(() => [] as string[])).filter((n) => n.startsWith(`${id}-`) || n === `${id}.frozen`);
      for (const n of scratch) await rm(path.join(paths.work, n), { force: true });
    },

    async adopt(spec, from) {
      validate(spec);
      const id = spec.serverId;
      if (!(await exists(paths.image(id)))) throw new Error(`${id} has no disk on this host`);
      // Read-only check before the kernel mounts a filesystem another machine made (a clean one takes ms).
      await run('e2fsck', ['-fn', paths.image(id)], { timeoutMs: 300_000 }).catch((e: Error) => {
        throw new InvalidSpecError(`${id}: the disk that arrived does not check clean, not mounting it: ${e.message.slice(-300)}`);
      });
      await markImage(id);
      await mountImage(paths, id, spec.idmap);
      await writeConfig(spec);
      await writeFile(origin(id), `${from}\n`);
      await writeFile(provisioned(id), `${new Date().toISOString()} (migrated here)\n`);
    },

    origin: async (id) => (await readFile(origin(id), 'utf8').catch(() => null))?.trim() ?? null,

    diskImage: (id) => paths.image(id),

    async releaseDisk(id) {
      if ((await state(id)) === 'running') throw new Error(`${id} is running: its disk is in use`);
      await unmountImage(paths, id);
    },

    async list() {
      const names = await readdir(o.lxcPath).catch(() => [] as string[]);
      const ids = names.filter((n) => /^srv_[0-9a-z]{6,40}$/.test(n));
      const has = await Promise.all(ids.map((n) => exists(path.join(o.lxcPath, n, 'config'))));
      return ids.filter((_, i) => has[i]);
    },

    async listImages() {
      // Complete images only: `.tmp` / `.shrink` files are work in progress of a create or a resize.
      const names = await readdir(paths.images).catch(() => [] as string[]);
      return names.flatMap((n) => /^(srv_[0-9a-z]{6,40})\.img$/.exec(n)?.[1] ?? []);
    },

    ownerOf: async (id) =>
      ((await readFile(owner(id), 'utf8').catch(() => null)) ?? (await readFile(paths.imageOwner(id), 'utf8').catch(() => null)))?.trim() || null,

    quarantine: async (id, location) => {
      // Never another agent's (machines shared by several test stacks), nor an unmarked one: the panel asks an admin.
      const by = await driver.ownerOf(id);
      if ((await driver.state(id)) !== 'absent' || (await imageBytes(paths, id)) >= 0) {
        if (!o.owner || by !== o.owner) throw new InvalidSpecError(`${id} is not this agent's (owner ${by ?? 'unmarked'}): not quarantining it`);
      }
      return quarantineContainer({ paths, lxcPath: o.lxcPath, serverId: id, location, stopTimeoutS: o.stopTimeoutS ?? 30 });
    },

    purgeQuarantine: (location) => purgeQuarantined(paths, location),

    async snapshot(spec, snapshotId) {
      validate(spec);
      const dest = paths.snapshot(spec.serverId, snapshotId);
      if (await exists(dest)) return { sizeBytes: await allocatedBytes(dest) };
      await driver.ensureRoom(0, 'a snapshot');
      return frozenReflink({ paths, c: lxc(spec.serverId), serverId: spec.serverId, dest });
    },

    async restoreSnapshot(spec, snapshotId) {
      validate(spec);
      const id = spec.serverId;
      const from = paths.snapshot(id, snapshotId);
      if (!(await exists(from))) throw new InvalidSpecError(`snapshot ${snapshotId} is not on this host`);
      // A copy of the snapshot (reflink: instant) becomes the disk, as a restored backup does; the snapshot stays.
      const work = paths.workImage(id, `rollback-${snapshotId}`);
      try {
        await reflinkTo(from, work);
        await driver.replaceDisk(spec, work, { newIdentity: false });
      } finally {
        await dropCopy(work);
      }
    },

    deleteSnapshot: (serverId, snapshotId) => dropCopy(paths.snapshot(serverId, snapshotId)),

    async frozenCopy(spec, name) {
      validate(spec);
      const dest = paths.workImage(spec.serverId, name);
      if (!(await exists(dest))) {
        await driver.ensureRoom(0, 'a backup\'s frozen copy');
        await frozenReflink({ paths, c: lxc(spec.serverId), serverId: spec.serverId, dest });
      }
      return dest;
    },

    workImage: (serverId, name) => paths.workImage(serverId, name),

    dropWorkImage: (serverId, name) => dropCopy(paths.workImage(serverId, name)),

    async replaceDisk(spec, file, { newIdentity }) {
      validate(spec);
      const id = spec.serverId;
      if (!(await exists(file))) {
        // A retry after the move: the disk is in place already.
        if (!(await exists(provisioned(id)))) throw new Error(`${file} is missing`);
      } else {
        // Fitted to the plan before the VPS stops: a disk whose data no longer fits leaves it running as it was.
        await fitImage(file, spec.limits.diskGb * GiB);
        await driver.stop(spec);
        await unmountImage(paths, id);
        await mkdir(paths.images, { recursive: true, mode: 0o700 });
        await markImage(id);
        await rename(file, paths.image(id));
      }
      await ensureImage(paths, spec); // to the plan's size
      await mountImage(paths, id, spec.idmap);
      if (newIdentity) {
        await writeNetworkIdentity(paths.mountpoint(id), spec);
        await renewMachineId(paths.mountpoint(id));
      }
      await writeConfig(spec);
      if (!(await exists(provisioned(id)))) await writeFile(provisioned(id), `${new Date().toISOString()} (restored from a backup)\n`);
    },

    async rescue(spec) {
      validate(spec);
      const id = spec.serverId;
      if ((await state(id)) === 'absent') throw new Error(`${id} is not created`);
      await driver.stop(spec);
      await mountImage(paths, id, spec.idmap); // its idmapped view is what the rescue system gets at /mnt
      await prepareRescueDisk(paths, spec);
      await writeFile(rescueMark(id), `${new Date().toISOString()}\n`);
      await writeConfig(spec);
    },

    async unrescue(spec) {
      validate(spec);
      const id = spec.serverId;
      await driver.stop(spec);
      await rm(rescueMark(id), { force: true });
      await dropRescueDisk(paths, id);
      await writeConfig(spec);
    },

    inRescue,
    storageRoots: () => [o.dataDir, o.lxcPath],
    ensureRoom: (needBytes, what) => ensurePoolRoom({ pool: paths.pool, needBytes, reservePct: o.poolReservePct ?? 10, what }),
  };
  return driver;
};
