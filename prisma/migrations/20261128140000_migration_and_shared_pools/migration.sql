-- AlterEnum
ALTER TYPE "OperationType" ADD VALUE 'migrate';

-- DropIndex
DROP INDEX "uid_ranges_server_id_key";

-- AlterTable
ALTER TABLE "hosts" ADD COLUMN     "transfer_url" TEXT;

-- AlterTable
ALTER TABLE "operations" ADD COLUMN     "target_host_id" TEXT;

-- CreateTable
CREATE TABLE "ip_pool_hosts" (
    "pool_id" TEXT NOT NULL,
    "host_id" TEXT NOT NULL,

    CONSTRAINT "ip_pool_hosts_pkey" PRIMARY KEY ("pool_id","host_id")
);

-- CreateIndex
CREATE INDEX "ip_pool_hosts_host_id_idx" ON "ip_pool_hosts"("host_id");

-- CreateIndex
CREATE UNIQUE INDEX "uid_ranges_server_id_host_id_key" ON "uid_ranges"("server_id", "host_id");

-- AddForeignKey
ALTER TABLE "ip_pool_hosts" ADD CONSTRAINT "ip_pool_hosts_pool_id_fkey" FOREIGN KEY ("pool_id") REFERENCES "ip_pools"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ip_pool_hosts" ADD CONSTRAINT "ip_pool_hosts_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "hosts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Every existing pool serves the host it was created for.
INSERT INTO "ip_pool_hosts" ("pool_id", "host_id") SELECT "id", "host_id" FROM "ip_pools";
