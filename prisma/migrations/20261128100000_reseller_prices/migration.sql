-- Reseller pricing: wholesale (admin) and retail (reseller) prices per plan; usage lines per paying tenant.
-- CreateEnum
CREATE TYPE "PriceKind" AS ENUM ('wholesale', 'retail');

-- AlterTable
ALTER TABLE "usage_lines" DROP CONSTRAINT "usage_lines_pkey",
ADD CONSTRAINT "usage_lines_pkey" PRIMARY KEY ("server_id", "month", "plan_id", "tenant_id");

-- CreateTable
CREATE TABLE "reseller_prices" (
    "reseller_id" TEXT NOT NULL,
    "plan_id" TEXT NOT NULL,
    "kind" "PriceKind" NOT NULL,
    "monthly_cents" INTEGER NOT NULL,
    "hourly_cents" INTEGER,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "reseller_prices_pkey" PRIMARY KEY ("reseller_id","plan_id","kind")
);

