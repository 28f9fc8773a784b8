-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "UserRole" AS ENUM ('admin', 'reseller', 'customer');

-- CreateEnum
CREATE TYPE "HostStatus" AS ENUM ('online', 'offline', 'maintenance');

-- CreateEnum
CREATE TYPE "ServerStatus" AS ENUM ('provisioning', 'running', 'stopped', 'suspended', 'error', 'deleting', 'deleted');

-- CreateEnum
CREATE TYPE "OperationType" AS ENUM ('create', 'start', 'stop', 'restart', 'destroy');

-- CreateEnum
CREATE TYPE "OperationStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed');

-- CreateTable
CREATE TABLE "tenants" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "parent_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "UserRole" NOT NULL,
    "password_hash" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "scopes" TEXT[],
    "expires_at" TIMESTAMP(3),
    "last_used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plans" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "cpu_cores" DOUBLE PRECISION NOT NULL,
    "cpu_weight" INTEGER NOT NULL,
    "memory_mb" INTEGER NOT NULL,
    "swap_mb" INTEGER NOT NULL,
    "disk_gb" INTEGER NOT NULL,
    "io_read_bps" BIGINT NOT NULL,
    "io_write_bps" BIGINT NOT NULL,
    "io_read_iops" INTEGER NOT NULL,
    "io_write_iops" INTEGER NOT NULL,
    "pids_max" INTEGER NOT NULL,
    "price_cents_monthly" INTEGER NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "plans_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "templates" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "image_ref" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "templates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "hosts" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "status" "HostStatus" NOT NULL DEFAULT 'online',
    "cpu_cores" DOUBLE PRECISION NOT NULL,
    "memory_mb" INTEGER NOT NULL,
    "disk_gb" INTEGER NOT NULL,
    "alloc_cpu_cores" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "alloc_memory_mb" INTEGER NOT NULL DEFAULT 0,
    "alloc_disk_gb" INTEGER NOT NULL DEFAULT 0,
    "bridge" TEXT NOT NULL DEFAULT 'berth0',
    "uid_base" INTEGER NOT NULL DEFAULT 1000000,
    "uid_slots" INTEGER NOT NULL DEFAULT 15000,
    "agent_version" TEXT,
    "last_heartbeat_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "hosts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ip_pools" (
    "id" TEXT NOT NULL,
    "host_id" TEXT NOT NULL,
    "cidr" TEXT NOT NULL,
    "gateway" TEXT,
    "prefix_length" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ip_pools_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ip_addresses" (
    "id" TEXT NOT NULL,
    "pool_id" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "server_id" TEXT,
    "allocated_at" TIMESTAMP(3),
    "released_at" TIMESTAMP(3),

    CONSTRAINT "ip_addresses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "uid_ranges" (
    "host_id" TEXT NOT NULL,
    "slot" INTEGER NOT NULL,
    "server_id" TEXT NOT NULL,

    CONSTRAINT "uid_ranges_pkey" PRIMARY KEY ("host_id","slot")
);

-- CreateTable
CREATE TABLE "servers" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "status" "ServerStatus" NOT NULL,
    "plan_id" TEXT NOT NULL,
    "template_id" TEXT NOT NULL,
    "host_id" TEXT NOT NULL,
    "mac" TEXT NOT NULL,
    "ssh_keys" TEXT[],
    "root_password_hash" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "deleted_at" TIMESTAMP(3),

    CONSTRAINT "servers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "operations" (
    "id" TEXT NOT NULL,
    "type" "OperationType" NOT NULL,
    "status" "OperationStatus" NOT NULL DEFAULT 'queued',
    "server_id" TEXT,
    "host_id" TEXT NOT NULL,
    "user_id" TEXT,
    "progress" INTEGER NOT NULL DEFAULT 0,
    "step" TEXT,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "dispatched_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "operations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" TEXT NOT NULL,
    "actor_id" TEXT,
    "tenant_id" TEXT,
    "action" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,
    "data" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_prefix_key" ON "api_keys"("prefix");

-- CreateIndex
CREATE UNIQUE INDEX "plans_name_key" ON "plans"("name");

-- CreateIndex
CREATE UNIQUE INDEX "templates_name_key" ON "templates"("name");

-- CreateIndex
CREATE UNIQUE INDEX "hosts_name_key" ON "hosts"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ip_addresses_address_key" ON "ip_addresses"("address");

-- CreateIndex
CREATE UNIQUE INDEX "ip_addresses_server_id_key" ON "ip_addresses"("server_id");

-- CreateIndex
CREATE INDEX "ip_addresses_pool_id_server_id_idx" ON "ip_addresses"("pool_id", "server_id");

-- CreateIndex
CREATE UNIQUE INDEX "uid_ranges_server_id_key" ON "uid_ranges"("server_id");

-- CreateIndex
CREATE INDEX "servers_tenant_id_created_at_id_idx" ON "servers"("tenant_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "servers_host_id_status_idx" ON "servers"("host_id", "status");

-- CreateIndex
CREATE INDEX "operations_server_id_created_at_idx" ON "operations"("server_id", "created_at");

-- CreateIndex
CREATE INDEX "operations_status_dispatched_at_created_at_idx" ON "operations"("status", "dispatched_at", "created_at");

-- CreateIndex
CREATE INDEX "audit_events_tenant_id_created_at_idx" ON "audit_events"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "audit_events_target_id_idx" ON "audit_events"("target_id");

-- AddForeignKey
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "tenants"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ip_pools" ADD CONSTRAINT "ip_pools_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "hosts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ip_addresses" ADD CONSTRAINT "ip_addresses_pool_id_fkey" FOREIGN KEY ("pool_id") REFERENCES "ip_pools"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ip_addresses" ADD CONSTRAINT "ip_addresses_server_id_fkey" FOREIGN KEY ("server_id") REFERENCES "servers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "uid_ranges" ADD CONSTRAINT "uid_ranges_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "hosts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "uid_ranges" ADD CONSTRAINT "uid_ranges_server_id_fkey" FOREIGN KEY ("server_id") REFERENCES "servers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "servers" ADD CONSTRAINT "servers_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "servers" ADD CONSTRAINT "servers_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "plans"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "servers" ADD CONSTRAINT "servers_template_id_fkey" FOREIGN KEY ("template_id") REFERENCES "templates"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "servers" ADD CONSTRAINT "servers_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "hosts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "operations" ADD CONSTRAINT "operations_server_id_fkey" FOREIGN KEY ("server_id") REFERENCES "servers"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Outbox: the dispatcher only ever scans undispatched queued operations.
CREATE INDEX "operations_outbox_idx" ON "operations" ("created_at") WHERE "status" = 'queued' AND "dispatched_at" IS NULL;

-- Wake the worker at once when an operation enters the outbox (it LISTENs on berth_outbox).
CREATE FUNCTION berth_notify_outbox() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('berth_outbox', NEW."host_id");
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "operations_outbox_notify" AFTER INSERT ON "operations"
  FOR EACH ROW WHEN (NEW."status" = 'queued' AND NEW."dispatched_at" IS NULL)
  EXECUTE FUNCTION berth_notify_outbox();

-- One live uid range and one address per server is enforced by unique keys; a pool's addresses are unique.
