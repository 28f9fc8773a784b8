import { accessRevokedChannel, hostEventsQueueName, hostQueueName } from '@berth/jobs';

type TOptions = { prefix: string; hostId: string };

// Ids and prefixes are checked before they become ACL rules: no glob characters, no ':' (so one host's
// patterns can never match another host's or another prefix's keys), no spaces.
const HOST_ID = /^host_[0-9a-z]{6,40}$/;
const PREFIX = /^[a-z0-9_-]{1,32}$/;

/**
 * Commands a host's agent may run: what BullMQ's Queue and Worker need (plain key commands and Lua scripts
 * touching only its own keys, INFO for the version check, CLIENT SETNAME), without anything that reaches
 * beyond its keys: @dangerous (KEYS, FLUSHALL, CONFIG, ACL, CLIENT LIST/KILL, SORT, MIGRATE, ...), keyless
 * commands that list or sample the keyspace (SCAN, RANDOMKEY, DBSIZE, CLUSTER GETKEYSINSLOT, broadcast
 * CLIENT TRACKING), server-wide script and function stores, PUBSUB introspection and publishing (the
 * agent only listens to its one channel). EVAL stays: BullMQ is Lua scripts (ACL checks the keys they touch).
 */
export const HOST_REDIS_COMMANDS = [
  '+@all', '-@dangerous',
  '-scan', '-randomkey', '-dbsize', '-memory',
  '-function', '-fcall', '-fcall_ro', '-script|flush', '-script|kill', '-script|debug',
  '-pubsub', '-publish', '-spublish', '-acl', '-cluster', '-client|tracking', '-client|caching',
  '+info', '+client|setname',
] as const;

/**
 * The Redis ACL user of one host: its name (the host's queue name under the prefix) and the rules that
 * limit it to its own queue (`host-<id>`), its own events queue (`host-<id>-events`) and the access
 * revocation channel. Pure: ensureHostRedisUser applies it.
 */
export const hostRedisAcl = ({ prefix, hostId }: TOptions): { username: string; rules: string[] } => {
  if (!HOST_ID.test(hostId)) throw new Error(`not a host id: ${hostId}`);
  if (!PREFIX.test(prefix)) throw new Error(`not a queue prefix: ${prefix}`);
  return {
    username: `${prefix}:${hostQueueName(hostId)}`,
    rules: [
      `~${prefix}:${hostQueueName(hostId)}:*`,
      `~${prefix}:${hostEventsQueueName(hostId)}:*`,
      `&${accessRevokedChannel(prefix)}`,
      ...HOST_REDIS_COMMANDS,
    ],
  };
};
