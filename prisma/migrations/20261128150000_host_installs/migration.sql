-- CreateEnum
CREATE TYPE "HostInstallStatus" AS ENUM ('pending', 'running', 'succeeded', 'failed');

-- CreateTable
CREATE TABLE "host_installs" (
    "id" TEXT NOT NULL,
    "host_id" TEXT NOT NULL,
    "status" "HostInstallStatus" NOT NULL DEFAULT 'pending',
    "step" TEXT,
    "error" TEXT,
    "ssh_user" TEXT NOT NULL,
    "ssh_port" INTEGER NOT NULL,
    "credentials" TEXT,
    "options" JSONB NOT NULL,
    "bundle_id" TEXT,
    "requested_by" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "host_installs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "host_installs_host_id_created_at_idx" ON "host_installs"("host_id", "created_at");

-- CreateIndex
CREATE INDEX "host_installs_status_created_at_idx" ON "host_installs"("status", "created_at");

-- AddForeignKey
ALTER TABLE "host_installs" ADD CONSTRAINT "host_installs_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "hosts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

