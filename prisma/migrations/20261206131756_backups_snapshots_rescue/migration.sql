-- CreateEnum
CREATE TYPE "SnapshotStatus" AS ENUM ('creating', 'ready', 'deleting', 'deleted', 'failed');

-- CreateEnum
CREATE TYPE "BackupKind" AS ENUM ('full', 'incremental');

-- CreateEnum
CREATE TYPE "BackupStatus" AS ENUM ('queued', 'running', 'ready', 'failed', 'deleting', 'deleted');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "OperationType" ADD VALUE 'snapshot';
ALTER TYPE "OperationType" ADD VALUE 'snapshot_restore';
ALTER TYPE "OperationType" ADD VALUE 'snapshot_delete';
ALTER TYPE "OperationType" ADD VALUE 'backup';
ALTER TYPE "OperationType" ADD VALUE 'restore';
ALTER TYPE "OperationType" ADD VALUE 'rescue';
ALTER TYPE "OperationType" ADD VALUE 'unrescue';

-- AlterTable
ALTER TABLE "hosts" ADD COLUMN     "backup_target_id" TEXT;

-- AlterTable
ALTER TABLE "plans" ADD COLUMN     "max_backups" INTEGER NOT NULL DEFAULT 5,
ADD COLUMN     "max_snapshots" INTEGER NOT NULL DEFAULT 3;

-- AlterTable
ALTER TABLE "servers" ADD COLUMN     "rescue_at" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "snapshots" (
    "id" TEXT NOT NULL,
    "server_id" TEXT NOT NULL,
    "host_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" "SnapshotStatus" NOT NULL DEFAULT 'creating',
    "size_bytes" BIGINT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMP(3),

    CONSTRAINT "snapshots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "backup_targets" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "backup_targets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "backups" (
    "id" TEXT NOT NULL,
    "server_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,
    "kind" "BackupKind" NOT NULL,
    "parent_id" TEXT,
    "trigger" TEXT NOT NULL,
    "status" "BackupStatus" NOT NULL DEFAULT 'queued',
    "operation_id" TEXT,
    "hostname" TEXT NOT NULL,
    "plan_id" TEXT NOT NULL,
    "template_id" TEXT NOT NULL,
    "manifest_sha256" TEXT,
    "disk_bytes" BIGINT,
    "data_bytes" BIGINT,
    "stored_bytes" BIGINT,
    "error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),
    "expires_at" TIMESTAMP(3),
    "delete_dispatched_at" TIMESTAMP(3),
    "deleted_at" TIMESTAMP(3),

    CONSTRAINT "backups_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "backup_schedules" (
    "server_id" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "hour_utc" INTEGER NOT NULL,
    "keep_daily" INTEGER NOT NULL,
    "keep_weekly" INTEGER NOT NULL,
    "full_every" INTEGER NOT NULL,
    "next_run_at" TIMESTAMP(3),
    "last_run_at" TIMESTAMP(3),
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "backup_schedules_pkey" PRIMARY KEY ("server_id")
);

-- CreateIndex
CREATE INDEX "snapshots_server_id_created_at_idx" ON "snapshots"("server_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "backup_targets_name_key" ON "backup_targets"("name");

-- CreateIndex
CREATE INDEX "backups_server_id_created_at_idx" ON "backups"("server_id", "created_at");

-- CreateIndex
CREATE INDEX "backups_tenant_id_created_at_idx" ON "backups"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "backups_parent_id_idx" ON "backups"("parent_id");

-- CreateIndex
CREATE INDEX "backups_status_delete_dispatched_at_idx" ON "backups"("status", "delete_dispatched_at");

-- CreateIndex
CREATE INDEX "backups_expires_at_idx" ON "backups"("expires_at");

-- CreateIndex
CREATE INDEX "backup_schedules_next_run_at_idx" ON "backup_schedules"("next_run_at");

-- AddForeignKey
ALTER TABLE "hosts" ADD CONSTRAINT "hosts_backup_target_id_fkey" FOREIGN KEY ("backup_target_id") REFERENCES "backup_targets"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "snapshots" ADD CONSTRAINT "snapshots_server_id_fkey" FOREIGN KEY ("server_id") REFERENCES "servers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "backups" ADD CONSTRAINT "backups_target_id_fkey" FOREIGN KEY ("target_id") REFERENCES "backup_targets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "backup_schedules" ADD CONSTRAINT "backup_schedules_server_id_fkey" FOREIGN KEY ("server_id") REFERENCES "servers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
