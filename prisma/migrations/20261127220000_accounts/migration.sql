-- AlterTable
ALTER TABLE "hosts" ADD COLUMN     "cpu_overcommit" DOUBLE PRECISION NOT NULL DEFAULT 4,
ADD COLUMN     "disk_overcommit" DOUBLE PRECISION NOT NULL DEFAULT 1,
ADD COLUMN     "memory_overcommit" DOUBLE PRECISION NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "ssh_keys" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "public_key" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ssh_keys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ssh_keys_user_id_created_at_idx" ON "ssh_keys"("user_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "ssh_keys_user_id_fingerprint_key" ON "ssh_keys"("user_id", "fingerprint");

-- AddForeignKey
ALTER TABLE "ssh_keys" ADD CONSTRAINT "ssh_keys_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

