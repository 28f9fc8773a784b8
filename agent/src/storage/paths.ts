import path from 'node:path';
import { InvalidSpecError } from '../driver/driver.ts';

/** Where everything lives under BERTH_DATA_DIR; one place so create and destroy agree. */
export const storagePaths = (dataDir: string) => {
  const pool = path.join(dataDir, 'pool');
  return {
    /** Sparse backing file of the XFS pool (reflink needs XFS; the host's own fs may not have it). */
    poolFile: path.join(dataDir, 'pool.xfs'),
    pool,
    templates: path.join(pool, 'templates'),
    images: path.join(pool, 'images'),
    mnt: path.join(dataDir, 'mnt'),
    template: (imageRef: string) => path.join(pool, 'templates', `${checkImageRef(imageRef)}.img`),
    image: (serverId: string) => path.join(pool, 'images', `${checkServerId(serverId)}.img`),
    /** Which agent made the disk (agentOwner): reconciliation touches only its own. */
    imageOwner: (serverId: string) => path.join(pool, 'images', `${checkServerId(serverId)}.img.host`),
    /** The disk as mounted on the host (files owned by 0): only the agent writes here, before first boot. */
    mountpoint: (serverId: string) => path.join(dataDir, 'mnt', checkServerId(serverId)),
    rootfsDir: path.join(dataDir, 'rootfs'),
    /** Orphans set aside by reconciliation, inside the pool so a disk moves by rename (no copy, reflinks kept). */
    quarantine: path.join(pool, 'quarantine'),
    quarantined: (location: string) => path.join(pool, 'quarantine', checkQuarantineName(location)),
    /** The same disk through the VPS's idmapped view: the container's rootfs. */
    rootfs: (serverId: string) => path.join(dataDir, 'rootfs', checkServerId(serverId)),
    /** A server's snapshots: reflinks of its disk on the pool (copy-on-write: they cost what changes after). */
    snapshots: (serverId: string) => path.join(pool, 'snapshots', checkServerId(serverId)),
    snapshot: (serverId: string, snapshotId: string) => path.join(pool, 'snapshots', checkServerId(serverId), `${checkSnapshotId(snapshotId)}.img`),
    /** Scratch images on the pool (a backup's frozen copy, a restore being rebuilt): reflink-able, never the disk itself. */
    work: path.join(pool, 'work'),
    workImage: (serverId: string, what: string) => path.join(pool, 'work', `${checkServerId(serverId)}-${checkWorkName(what)}.img`),
    /** Rescue mode: a fresh system disk from the template that boots with the server's own disk at /mnt. */
    rescueImage: (serverId: string) => path.join(pool, 'rescue', `${checkServerId(serverId)}.img`),
    rescueMountpoint: (serverId: string) => path.join(dataDir, 'mnt', `${checkServerId(serverId)}-rescue`),
    /** Operations that succeeded here (worker/done-journal.ts): a redelivered job is answered, not run again. */
    doneJournal: path.join(dataDir, 'done'),
    rescueRootfs: (serverId: string) => path.join(dataDir, 'rootfs', `${checkServerId(serverId)}-rescue`),
  };
};
export type TStoragePaths = ReturnType<typeof storagePaths>;

// Both end up in paths and config files: a '/' or '..' must never get through.
const checkImageRef = (ref: string) => {
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(ref) || ref.includes('..')) throw new InvalidSpecError(`bad imageRef ${ref}`);
  return ref;
};
export const checkServerId = (id: string) => {
  if (!/^srv_[0-9a-z]{6,40}$/.test(id)) throw new InvalidSpecError(`bad server id ${id}`);
  return id;
};
export const checkSnapshotId = (id: string) => {
  if (!/^snap_[0-9a-z]{6,40}$/.test(id)) throw new InvalidSpecError(`bad snapshot id ${id}`);
  return id;
};
const checkWorkName = (name: string) => {
  if (!/^[a-z]+-[a-z]{2,5}_[0-9a-z]{6,40}$/.test(name)) throw new InvalidSpecError(`bad work image name ${name}`);
  return name;
};
/** A quarantine directory name: <serverId>-<UTC stamp>. */
export const checkQuarantineName = (name: string) => {
  if (!/^srv_[0-9a-z]{6,40}-\d{8}T\d{6}Z$/.test(name)) throw new InvalidSpecError(`bad quarantine name ${name}`);
  return name;
};
