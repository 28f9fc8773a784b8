import type { TServerSpec, TServerState } from '@berth/contracts';

/**
 * What the agent needs from a container runtime (after pterodactyl/wings' Environment). Every method is
 * idempotent and converges: calling it again after a crash half-way finishes the work instead of failing
 * on "already exists" / "not found". Methods for one server are never called concurrently (the caller
 * holds a per-server lock); different servers may run in parallel.
 */
export type ContainerDriver = {
  /**
   * Make the VPS exist, stopped: disk image, first-boot files (hostname, host keys, authorized_keys,
   * network, machine-id) and runtime config. Does not start it.
   */
  create(spec: TServerSpec): Promise<void>;
  /**
   * Apply the current spec (limits, network filter) and boot it; resolves only once the VPS is ready:
   * its init reports running (or degraded) and its SSH port accepts connections. A running VPS is only
   * checked for readiness. Throws if the network filter cannot be installed (fail closed).
   */
  start(spec: TServerSpec): Promise<void>;
  /** Clean shutdown with a timeout, then kill. Stopping a stopped or absent VPS succeeds. */
  stop(spec: TServerSpec): Promise<void>;
  /**
   * Apply a new plan's limits: live (cgroup values, disk grown online) when running, at the next start
   * otherwise; the config is rewritten either way. A disk grows live; it shrinks only while stopped, and
   * never below its data (InvalidSpecError).
   */
  resize(spec: TServerSpec): Promise<void>;
  /** Re-apply the VPS's network filter (its MAC/IPv4 and the same-tenant peers it may reach), live. */
  applyNetwork(spec: TServerSpec): Promise<void>;
  /**
   * Replace the disk with a fresh one from spec.imageRef (new host keys, the spec's SSH keys and password);
   * network, limits and id range stay. Leaves the VPS stopped.
   */
  reinstall(spec: TServerSpec): Promise<void>;
  /** Remove everything the VPS had on this host (container, disk, mounts, filter). Absent succeeds. */
  destroy(spec: Pick<TServerSpec, 'serverId'>): Promise<void>;
  /**
   * Make a VPS whose disk image arrived from another host (migration) exist here, stopped: check the disk
   * (it came from another machine), mount it through this host's id range for it and write its config. Its
   * disk is the customer's: no first-boot files. `origin` (e.g. the migration's operation) is kept with it.
   */
  adopt(spec: TServerSpec, origin: string): Promise<void>;
  /** What `adopt` recorded for a VPS here; null for one created here (or absent). */
  origin(serverId: string): Promise<string | null>;
  /** The file holding the VPS's disk (what a migration copies). */
  diskImage(serverId: string): string;
  /** Unmount a stopped VPS's disk so its image file is complete and stable (before the last copy pass). */
  releaseDisk(serverId: string): Promise<void>;
  /** What the host observes right now. */
  state(serverId: string): Promise<TServerState>;
  /** Server ids of every container this driver manages on the host, running or not. */
  list(): Promise<string[]>;
  /** Server ids of every disk image in the pool (with a container or not). */
  listImages(): Promise<string[]>;
  /**
   * Which agent made the container (else its disk) on this machine (agentOwner); null when unmarked (made
   * before owner marks existed, or by a driver without an owner). Reconciliation never touches another's.
   */
  ownerOf(serverId: string): Promise<string | null>;
  /**
   * Set a container nobody owns aside, deleting nothing: stop it, forget its filter entries, unmount its
   * disk, move its container dir and disk image to quarantine/<location>. Converges: a retry finishes the
   * move; nothing there at all resolves with moved [].
   */
  quarantine(serverId: string, location: string): Promise<{ moved: ('container' | 'image')[] }>;
  /** Delete a quarantined copy (its grace period is over); already gone succeeds. */
  purgeQuarantine(location: string): Promise<void>;
  /**
   * Take a crash-consistent snapshot of the disk on this host's pool (the container's cgroup and its ext4
   * frozen while the copy-on-write point is taken, for milliseconds). A retry of a whole one changes nothing.
   * sizeBytes: what the snapshot occupies now (shared with the disk until either changes).
   */
  snapshot(spec: TServerSpec, snapshotId: string): Promise<{ sizeBytes: number }>;
  /** Put the disk back as it was at the snapshot (stopping the VPS first); the snapshot stays. Leaves it stopped. */
  restoreSnapshot(spec: TServerSpec, snapshotId: string): Promise<void>;
  /** Delete a snapshot; already gone succeeds. */
  deleteSnapshot(serverId: string, snapshotId: string): Promise<void>;
  /** A frozen copy of the disk (as snapshot) at workImage(serverId, name), for a backup to read at leisure. */
  frozenCopy(spec: TServerSpec, name: string): Promise<string>;
  /** Where scratch images of a VPS live on the pool (a frozen copy, a disk being restored). */
  workImage(serverId: string, name: string): string;
  /** Remove a scratch image; already gone succeeds. */
  dropWorkImage(serverId: string, name: string): Promise<void>;
  /**
   * Make `file` (a complete disk image on the pool, e.g. rebuilt from a backup) the VPS's disk, stopping it
   * first; it is moved, not copied. A VPS absent here is made (config, owner mark), like `create` but with
   * this disk. `newIdentity`: it came from another server, so its hostname and network are rewritten (its
   * files, host keys and root access are kept). Leaves the VPS stopped.
   */
  replaceDisk(spec: TServerSpec, file: string, opts: { newIdentity: boolean }): Promise<void>;
  /**
   * Arm rescue mode (stopping the VPS): the next starts boot a fresh system from spec.imageRef with the
   * server's own disk at /mnt, until `unrescue`. Leaves it stopped.
   */
  rescue(spec: TServerSpec): Promise<void>;
  /** Leave rescue mode (stopping the rescue system, deleting its disk); the next start boots the VPS's own. */
  unrescue(spec: TServerSpec): Promise<void>;
  inRescue(serverId: string): Promise<boolean>;
  /** Directories holding this host's VPS storage (disks, snapshots, containers): no backup may be written there. */
  storageRoots(): string[];
  /**
   * Refuse (InvalidSpecError) `needBytes` more on the pool if it would leave less than the pool's reserve free
   * (snapshots and frozen copies check this themselves with 0).
   */
  ensureRoom(needBytes: number, what: string): Promise<void>;
};

/** The spec cannot work on this host (bad value, unknown image): retrying the same job cannot help. */
export class InvalidSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSpecError';
  }
}
