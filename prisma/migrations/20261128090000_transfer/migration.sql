-- Bandwidth: monthly transfer allowance per plan, bytes per server and month (from the hourly metric rollup).
-- CreateEnum
CREATE TYPE "OverageAction" AS ENUM ('bill', 'throttle');

-- AlterTable
ALTER TABLE "plans" ADD COLUMN     "overage_action" "OverageAction" NOT NULL DEFAULT 'bill',
ADD COLUMN     "overage_cents_per_gb" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "throttle_mbit" INTEGER NOT NULL DEFAULT 10,
ADD COLUMN     "transfer_gb" INTEGER;

-- CreateTable
CREATE TABLE "transfer_usage" (
    "server_id" TEXT NOT NULL,
    "month" TIMESTAMP(3) NOT NULL,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "invoice_id" TEXT,
    "throttled_at" TIMESTAMP(3),

    CONSTRAINT "transfer_usage_pkey" PRIMARY KEY ("server_id","month")
);

