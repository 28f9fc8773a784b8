-- Billing: hourly metering capped monthly, an append-only ledger, gapless invoices.
-- CreateEnum
CREATE TYPE "BillingMode" AS ENUM ('prepaid', 'invoice');

-- CreateEnum
CREATE TYPE "LedgerKind" AS ENUM ('credit', 'charge', 'refund', 'adjustment', 'payment');

-- CreateEnum
CREATE TYPE "InvoiceStatus" AS ENUM ('issued', 'paid', 'void');

-- AlterTable
ALTER TABLE "plans" ADD COLUMN     "price_cents_hourly" INTEGER;

-- AlterTable
ALTER TABLE "servers" ADD COLUMN     "billed_through" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
-- Existing servers are metered from now on: upgrading never bills the past.

-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "billing_mode" "BillingMode" NOT NULL DEFAULT 'invoice',
ADD COLUMN     "currency" TEXT NOT NULL DEFAULT 'USD';

-- CreateTable
CREATE TABLE "server_plan_changes" (
    "id" TEXT NOT NULL,
    "server_id" TEXT NOT NULL,
    "plan_id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "server_plan_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "usage_lines" (
    "server_id" TEXT NOT NULL,
    "month" TIMESTAMP(3) NOT NULL,
    "plan_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "hours" INTEGER NOT NULL DEFAULT 0,
    "amount_cents" INTEGER NOT NULL DEFAULT 0,
    "unit_cents" INTEGER NOT NULL,
    "invoice_id" TEXT,

    CONSTRAINT "usage_lines_pkey" PRIMARY KEY ("server_id","month","plan_id")
);

-- CreateTable
CREATE TABLE "ledger_entries" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "kind" "LedgerKind" NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "actor_id" TEXT,
    "invoice_id" TEXT,
    "provider" TEXT,
    "reference" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invoices" (
    "id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "period_start" TIMESTAMP(3) NOT NULL,
    "period_end" TIMESTAMP(3) NOT NULL,
    "currency" TEXT NOT NULL,
    "total_cents" INTEGER NOT NULL,
    "paid_cents" INTEGER NOT NULL DEFAULT 0,
    "status" "InvoiceStatus" NOT NULL DEFAULT 'issued',
    "issued_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "due_at" TIMESTAMP(3) NOT NULL,
    "paid_at" TIMESTAMP(3),

    CONSTRAINT "invoices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invoice_lines" (
    "id" TEXT NOT NULL,
    "invoice_id" TEXT NOT NULL,
    "server_id" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "hours" INTEGER NOT NULL,
    "unit_cents" INTEGER NOT NULL,
    "amount_cents" INTEGER NOT NULL,

    CONSTRAINT "invoice_lines_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invoice_counter" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "next" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "invoice_counter_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "server_plan_changes_server_id_at_idx" ON "server_plan_changes"("server_id", "at");

-- CreateIndex
CREATE INDEX "usage_lines_tenant_id_month_idx" ON "usage_lines"("tenant_id", "month");

-- CreateIndex
CREATE INDEX "ledger_entries_tenant_id_created_at_idx" ON "ledger_entries"("tenant_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_entries_provider_reference_key" ON "ledger_entries"("provider", "reference");

-- CreateIndex
CREATE UNIQUE INDEX "invoices_number_key" ON "invoices"("number");

-- CreateIndex
CREATE INDEX "invoices_status_due_at_idx" ON "invoices"("status", "due_at");

-- CreateIndex
CREATE UNIQUE INDEX "invoices_tenant_id_period_start_key" ON "invoices"("tenant_id", "period_start");

-- CreateIndex
CREATE INDEX "invoice_lines_invoice_id_idx" ON "invoice_lines"("invoice_id");

-- CreateIndex
CREATE INDEX "servers_billed_through_idx" ON "servers"("billed_through");

-- AddForeignKey
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Existing servers: their current plan since creation.
INSERT INTO "server_plan_changes" ("id", "server_id", "plan_id", "at")
  SELECT 'spc_' || substr(md5("id"), 1, 20), "id", "plan_id", "created_at" FROM "servers";

INSERT INTO "invoice_counter" ("id", "next") VALUES (1, 1);

-- The ledger is append-only: corrections are new entries (adjustments, refunds), never edits.
CREATE FUNCTION berth_ledger_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'ledger_entries is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "ledger_entries_append_only" BEFORE UPDATE OR DELETE ON "ledger_entries"
  FOR EACH ROW EXECUTE FUNCTION berth_ledger_append_only();
