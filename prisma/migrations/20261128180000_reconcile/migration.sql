-- CreateEnum
CREATE TYPE "QuarantineStatus" AS ENUM ('pending', 'quarantined', 'purging', 'purged', 'gone', 'needs_admin', 'resolved', 'failed');

-- AlterTable
ALTER TABLE "operations" ADD COLUMN     "abandoned_at" TIMESTAMP(3),
ADD COLUMN     "progress_at" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "quarantined_containers" (
    "id" TEXT NOT NULL,
    "host_id" TEXT NOT NULL,
    "server_id" TEXT NOT NULL,
    "status" "QuarantineStatus" NOT NULL,
    "reason" TEXT NOT NULL,
    "found" TEXT NOT NULL,
    "location" TEXT,
    "error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dispatched_at" TIMESTAMP(3),
    "quarantined_at" TIMESTAMP(3),
    "purge_after" TIMESTAMP(3),
    "purged_at" TIMESTAMP(3),
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "quarantined_containers_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "quarantined_containers_host_id_status_idx" ON "quarantined_containers"("host_id", "status");

-- CreateIndex
CREATE INDEX "quarantined_containers_status_dispatched_at_idx" ON "quarantined_containers"("status", "dispatched_at");

-- CreateIndex
CREATE INDEX "quarantined_containers_created_at_id_idx" ON "quarantined_containers"("created_at", "id");


-- One open finding (pending decision or needs_admin) per host and server: a report seen twice records it once.
CREATE UNIQUE INDEX "quarantined_containers_open_key" ON "quarantined_containers"("host_id", "server_id") WHERE "status" IN ('pending', 'needs_admin');

-- Stuck-operation sweep: only dispatched, unfinished operations.
CREATE INDEX "operations_in_flight_idx" ON "operations"("dispatched_at") WHERE "status" IN ('queued', 'running') AND "dispatched_at" IS NOT NULL;
