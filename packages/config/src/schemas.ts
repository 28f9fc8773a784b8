import { z } from 'zod';

const redisUrl = z.url({ protocol: /^rediss?$/ }).describe('redis://[:password@]host:port[/db] for BullMQ');
const databaseUrl = z.url({ protocol: /^postgres(ql)?$/ }).describe('postgresql://user:pass@host:port/db');
const queuePrefix = z.string().regex(/^[a-z0-9_-]{1,32}$/).default('berth');
const int = (def: number) => z.coerce.number().int().positive().default(def);

/** Panel (Next.js): API and UI. */
export const ZPanelEnv = z.object({
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  BERTH_QUEUE_PREFIX: queuePrefix,
  // HMAC key for UI session cookies (npm run setup generates one).
  SESSION_SECRET: z.string().min(32),
  // Send session cookies with the Secure flag (turn on behind HTTPS).
  COOKIE_SECURE: z.stringbool().default(false),
  // Where `npm start` / apps/panel/serve.ts listens.
  PANEL_HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  // Reverse proxies (comma-separated CIDRs) whose X-Forwarded-For is believed; empty = the socket's peer is the client.
  TRUSTED_PROXIES: z.string().default('').transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)),
  // API rate limits per minute: per API key (or signed-in user) and per client IP.
  RATE_LIMIT_PER_KEY: int(1200),
  RATE_LIMIT_PER_IP: int(2400),
  // Password guessing: sign-in attempts per minute per client IP and per account.
  LOGIN_LIMIT_PER_IP: int(20),
  LOGIN_LIMIT_PER_ACCOUNT: int(10),
  // The seller printed on invoice PDFs: a name and address lines separated by '|'.
  BILLING_SELLER_NAME: z.string().min(1).default('Berth Hosting'),
  BILLING_SELLER_ADDRESS: z.string().default('').transform((s) => s.split('|').map((x) => x.trim()).filter(Boolean)),
  // Signs web console tickets (base64 PKCS#8 DER of an Ed25519 key; npm run setup makes one).
  CONSOLE_SIGNING_KEY: z.string().min(40),
});

/** Worker: outbox dispatcher, agent-event consumer, webhook sender, housekeeping. */
export const ZWorkerEnv = z.object({
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  BERTH_QUEUE_PREFIX: queuePrefix,
  // Safety-net sweep of the outbox in case a NOTIFY was missed (ms).
  WORKER_SWEEP_MS: int(5000),
  // Operations pulled from the outbox per round.
  WORKER_BATCH: int(200),
  // Unseals webhook signing secrets (the panel seals them with the same key).
  SESSION_SECRET: z.string().min(32),
  // How often due webhook deliveries are looked for (ms).
  WORKER_WEBHOOK_POLL_MS: int(1000),
  // Let webhooks reach loopback/private addresses: only for tests on one machine, never in production.
  WEBHOOK_ALLOW_PRIVATE: z.stringbool().default(false),
  // A host whose agent sent no heartbeat for this long is offline (ms).
  HOST_OFFLINE_AFTER_MS: int(30_000),
  // Billing: how often the meter and the invoicer look for due work (ms), and days until an invoice is due.
  BILLING_TICK_MS: int(60_000),
  // The seller printed on invoices, kept with each invoice when it is issued: a name and address lines
  // separated by '|' (the panel's copy only renders invoices issued before names were kept).
  BILLING_SELLER_NAME: z.string().min(1).default('Berth Hosting'),
  BILLING_SELLER_ADDRESS: z.string().default('').transform((s) => s.split('|').map((x) => x.trim()).filter(Boolean)),
  BILLING_DUE_DAYS: int(14),
  // Dunning: days past due before a tenant's servers are suspended, and days suspended before they are
  // destroyed (0: never destroy; the default, since deleting a customer's data is not to be done lightly).
  BILLING_SUSPEND_AFTER_DAYS: z.coerce.number().int().min(0).default(7),
  BILLING_TERMINATE_AFTER_DAYS: z.coerce.number().int().min(0).default(0),
  // The panel's Ed25519 key (as the panel's CONSOLE_SIGNING_KEY): signs migrations' transfer tokens; without
  // it migrations fail with that reason.
  CONSOLE_SIGNING_KEY: z.string().min(40).optional(),
  // Adding hosts over SSH: the host:port agents reach Redis at (default: REDIS_URL's), the heartbeat period
  // written into their config (default: the agent's own), where this machine keeps the OS templates copied
  // to new hosts, and how long an install waits for the new agent's first heartbeat (ms).
  AGENT_REDIS_ADDRESS: z.string().regex(/^[A-Za-z0-9.[\]:-]+:\d+$/).optional(),
  AGENT_HEARTBEAT_MS: z.coerce.number().int().positive().optional(),
  BERTH_TEMPLATES_DIR: z.string().startsWith('/').default('/var/lib/berth/pool/templates'),
  HOST_INSTALL_HEARTBEAT_TIMEOUT_MS: int(120_000),
  // Reconciliation: hours a quarantined orphan (container or disk nobody owns) is kept before it is deleted.
  RECONCILE_PURGE_AFTER_HOURS: z.coerce.number().min(0).default(7 * 24),
  // An operation sent to a host whose agent has been silent this long is failed ("not confirmed") (ms).
  OPERATION_STUCK_AFTER_MS: int(15 * 60_000),
  // How often stuck operations and due purges are looked for (ms).
  RECONCILE_SWEEP_MS: int(60_000),
  // Backups: how often due schedules, expired backups and deletions are looked for (ms), and how many days a
  // deleted server's backups are kept (restorable to a new server) before they are deleted.
  BACKUP_TICK_MS: int(60_000),
  BACKUP_KEEP_DELETED_DAYS: z.coerce.number().int().min(0).default(30),
  // Every this many days the newest backup of each server with scheduled backups is read back and checked (0: never).
  BACKUP_VERIFY_EVERY_DAYS: z.coerce.number().int().min(0).max(365).default(7),
});

/** Agent: one per host; never sees the database. */
export const ZAgentEnv = z.object({
  REDIS_URL: redisUrl,
  BERTH_QUEUE_PREFIX: queuePrefix,
  // This host's id as registered in the panel (host_...).
  BERTH_HOST_ID: z.string().regex(/^host_[0-9a-z]{6,40}$/),
  // Root of the agent's state: templates, image pool, mounts.
  BERTH_DATA_DIR: z.string().startsWith('/').default('/var/lib/berth'),
  // LXC's lxcpath for Berth's containers (absolute: lxc-* -P needs it).
  BERTH_LXC_PATH: z.string().startsWith('/').default('/var/lib/berth/lxc'),
  // Jobs the agent runs at once (different servers; one server is always serialized).
  AGENT_CONCURRENCY: int(4),
  // Share of the image pool kept free for the running VPSes to grow into: snapshots, backups' frozen copies and
  // restores are refused short of it (a full pool fails every VPS's writes).
  AGENT_POOL_RESERVE_PCT: z.coerce.number().int().min(0).max(90).default(10),
  AGENT_HEARTBEAT_MS: int(10_000),
  // How often the agent reports every container and disk image on its host (also at boot) for reconciliation (ms).
  AGENT_INVENTORY_MS: int(300_000),
  // Web console: the Ed25519 public key that checks the panel's tickets (base64 SPKI DER), where the console
  // websocket listens (port 0: any free port), and the host name browsers reach it by.
  CONSOLE_VERIFY_KEY: z.string().min(40),
  AGENT_CONSOLE_HOST: z.string().min(1).default('127.0.0.1'),
  AGENT_CONSOLE_PORT: z.coerce.number().int().min(0).max(65535).default(8091),
  AGENT_CONSOLE_PUBLIC_HOST: z.string().min(1).default('127.0.0.1'),
  // How often each running VPS's counters are sampled for the graphs (ms; 0 = never).
  AGENT_METRICS_MS: z.coerce.number().int().min(0).default(30_000),
  // Migration: where this agent receives VPS disks from other hosts' agents (HTTPS, port 0: any free port)
  // and the address other hosts reach it by (defaults to the console's).
  AGENT_TRANSFER_HOST: z.string().min(1).optional(),
  AGENT_TRANSFER_PORT: z.coerce.number().int().min(0).max(65535).default(8092),
  AGENT_TRANSFER_PUBLIC_HOST: z.string().min(1).optional(),
  // Written by the panel's installer: heartbeats carry it, so an install knows its own agent answered.
  BERTH_INSTALL_ID: z.string().max(64).optional(),
});

/** Admin CLI. SESSION_SECRET seals SSH credentials of `hosts add` / `hosts install` (as the panel does). */
export const ZCliEnv = z.object({ DATABASE_URL: databaseUrl, SESSION_SECRET: z.string().min(32).optional() });

/** Seed (run by `npm run setup`): the first admin and this machine as the first host. */
export const ZSeedEnv = z.object({
  DATABASE_URL: databaseUrl,
  // Absent on a first setup: the seed reuses this machine's host row (by name) or makes a new id.
  BERTH_HOST_ID: z.string().regex(/^host_[0-9a-z]{6,40}$/).optional(),
  BERTH_ADMIN_EMAIL: z.email().default('admin@berth.local'),
  BERTH_ADMIN_PASSWORD: z.string().min(8),
  // Berth's bridge network on this host (a benchmark-only range by default: it never routes anywhere).
  BERTH_BRIDGE_CIDR: z.string().regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/).default('198.18.0.0/24'),
  BERTH_DATA_DIR: z.string().startsWith('/').default('/var/lib/berth'),
  // Where this host's backups go (the 'local' backup target): outside the VPS pool, ideally another disk or a mount.
  BERTH_BACKUP_DIR: z.string().regex(/^\/[A-Za-z0-9._/-]{1,250}$/).default('/var/lib/berth-backups'),
  // Which host offsets of that network the pool hands out ("first-last"); the rest stay free for tests.
  BERTH_POOL_RANGE: z.string().regex(/^\d+-\d+$/).default('2-159'),
  // The host's per-VPS uid ranges: slots of 65536 ids from 1000000 + first*65536 (tests use their own slots).
  BERTH_UID_FIRST_SLOT: z.coerce.number().int().min(0).default(0),
  BERTH_UID_SLOTS: z.coerce.number().int().min(1).max(15000).default(12000),
  // Sell more than the host has: idle VPSes use a fraction of their memory, and disk images are sparse.
  BERTH_CPU_OVERCOMMIT: z.coerce.number().min(0.1).max(1000).default(8),
  BERTH_MEMORY_OVERCOMMIT: z.coerce.number().min(0.1).max(100).default(1),
  BERTH_DISK_OVERCOMMIT: z.coerce.number().min(0.1).max(100).default(1),
});

export type TPanelEnv = z.infer<typeof ZPanelEnv>;
export type TWorkerEnv = z.infer<typeof ZWorkerEnv>;
export type TAgentEnv = z.infer<typeof ZAgentEnv>;
export type TCliEnv = z.infer<typeof ZCliEnv>;
export type TSeedEnv = z.infer<typeof ZSeedEnv>;
