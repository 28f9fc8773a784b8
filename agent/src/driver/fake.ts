import type { TServerState } from '@berth/contracts';
import type { ContainerDriver } from './driver.ts';

type TMethod = 'create' | 'start' | 'stop' | 'destroy' | 'resize' | 'reinstall' | 'applyNetwork' | 'adopt' | 'releaseDisk' | 'quarantine' | 'purgeQuarantine'
  | 'snapshot' | 'restoreSnapshot' | 'deleteSnapshot' | 'frozenCopy' | 'replaceDisk' | 'rescue' | 'unrescue';

/**
 * In-memory ContainerDriver for unit tests of handler and worker control flow ONLY: the real behaviour is
 * tested against real LXC in lxc/lxc-driver.test.ts. `failures` makes the next calls of a method throw.
 */
export const createFakeDriver = () => {
  const states = new Map<string, TServerState>();
  const calls: string[] = [];
  const origins = new Map<string, string>();
  /** Disk images without a container (the fake keeps a disk with every container it has). */
  const strayImages = new Set<string>();
  /** location -> what was set aside there. */
  const quarantined = new Map<string, ('container' | 'image')[]>();
  /** serverId -> host id marked on it (absent: unmarked). */
  const owners = new Map<string, string>();
  const failures = new Map<TMethod, Error[]>();
  const snapshots = new Set<string>();
  const rescued = new Set<string>();
  const needs = (id: string) => {
    if (!states.has(id)) throw new Error(`${id} is not created`);
  };
  let delayMs = 0;
  const storageRoots: string[] = [];
  const step = async (method: TMethod, id: string) => {
    calls.push(`${method}:${id}`);
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    const err = failures.get(method)?.shift();
    if (err) throw err;
  };
  const driver: ContainerDriver = {
    async create(spec) {
      await step('create', spec.serverId);
      if (!states.has(spec.serverId)) states.set(spec.serverId, 'stopped');
    },
    async start(spec) {
      await step('start', spec.serverId);
      if (!states.has(spec.serverId)) throw new Error(`${spec.serverId} is not created`);
      states.set(spec.serverId, 'running');
    },
    async stop(spec) {
      await step('stop', spec.serverId);
      if (states.get(spec.serverId) === 'running') states.set(spec.serverId, 'stopped');
    },
    async resize(spec) {
      await step('resize', spec.serverId);
      if (!states.has(spec.serverId)) throw new Error(`${spec.serverId} is not created`);
    },
    async applyNetwork(spec) {
      await step('applyNetwork', spec.serverId);
    },
    async reinstall(spec) {
      await step('reinstall', spec.serverId);
      if (!states.has(spec.serverId)) throw new Error(`${spec.serverId} is not created`);
      states.set(spec.serverId, 'stopped');
    },
    async destroy(spec) {
      await step('destroy', spec.serverId);
      states.delete(spec.serverId);
    },
    async adopt(spec, origin) {
      await step('adopt', spec.serverId);
      if (!states.has(spec.serverId)) states.set(spec.serverId, 'stopped');
      origins.set(spec.serverId, origin);
    },
    origin: async (id) => (states.has(id) ? origins.get(id) ?? null : null),
    diskImage: (id) => `/nonexistent/${id}.img`,
    async releaseDisk(id) {
      await step('releaseDisk', id);
    },
    async state(id) {
      return states.get(id) ?? 'absent';
    },
    async list() {
      return [...states.keys()];
    },
    ownerOf: async (id) => owners.get(id) ?? null,
    async listImages() {
      return [...new Set([...states.keys(), ...strayImages])];
    },
    async quarantine(id, location) {
      await step('quarantine', id);
      const moved = [...(states.has(id) ? ['container' as const, 'image' as const] : strayImages.has(id) ? ['image' as const] : [])];
      states.delete(id);
      strayImages.delete(id);
      if (moved.length) quarantined.set(location, moved);
      return { moved: quarantined.get(location) ?? [] };
    },
    async purgeQuarantine(location) {
      await step('purgeQuarantine', location);
      quarantined.delete(location);
    },
    async snapshot(spec, snapshotId) {
      await step('snapshot', spec.serverId);
      needs(spec.serverId);
      snapshots.add(`${spec.serverId}/${snapshotId}`);
      return { sizeBytes: 1024 };
    },
    async restoreSnapshot(spec, snapshotId) {
      await step('restoreSnapshot', spec.serverId);
      if (!snapshots.has(`${spec.serverId}/${snapshotId}`)) throw new Error(`snapshot ${snapshotId} is not on this host`);
      states.set(spec.serverId, 'stopped');
    },
    async deleteSnapshot(serverId, snapshotId) {
      snapshots.delete(`${serverId}/${snapshotId}`);
    },
    async frozenCopy(spec, name) {
      await step('frozenCopy', spec.serverId);
      needs(spec.serverId);
      return `/nonexistent/${spec.serverId}-${name}.img`;
    },
    workImage: (serverId, name) => `/nonexistent/${serverId}-${name}.img`,
    async dropWorkImage() {},
    async replaceDisk(spec) {
      await step('replaceDisk', spec.serverId);
      states.set(spec.serverId, 'stopped');
    },
    async rescue(spec) {
      await step('rescue', spec.serverId);
      needs(spec.serverId);
      rescued.add(spec.serverId);
      states.set(spec.serverId, 'stopped');
    },
    async unrescue(spec) {
      await step('unrescue', spec.serverId);
      rescued.delete(spec.serverId);
      if (states.has(spec.serverId)) states.set(spec.serverId, 'stopped');
    },
    inRescue: async (id) => rescued.has(id),
    storageRoots: () => storageRoots,
    ensureRoom: async () => {},
  };
  return {
    driver,
    calls,
    states,
    strayImages,
    quarantined,
    owners,
    snapshots,
    rescued,
    /** What storageRoots() answers (push to make a test's directories the host's VPS storage). */
    storageRoots,
    failNext: (method: TMethod, err: Error) => failures.set(method, [...(failures.get(method) ?? []), err]),
    setDelay: (ms: number) => (delayMs = ms),
  };
};
