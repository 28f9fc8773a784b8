-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN     "allowed_ips" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "audit_events" ADD COLUMN     "api_key_id" TEXT,
ADD COLUMN     "ip" TEXT,
ADD COLUMN     "request_id" TEXT;

-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "max_cpu_cores" DOUBLE PRECISION,
ADD COLUMN     "max_disk_gb" INTEGER,
ADD COLUMN     "max_ips" INTEGER,
ADD COLUMN     "max_memory_mb" INTEGER,
ADD COLUMN     "max_servers" INTEGER;

-- CreateTable
CREATE TABLE "idempotency_keys" (
    "owner" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "response_status" INTEGER,
    "response_body" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("owner","key")
);

-- CreateIndex
CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys"("created_at");

