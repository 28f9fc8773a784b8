-- Dunning: overdue reminders, tenant suspension, the power state to restore on payment.
-- AlterTable
ALTER TABLE "invoices" ADD COLUMN     "reminded_at" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "servers" ADD COLUMN     "resume_status" "ServerStatus";

-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "suspended_at" TIMESTAMP(3);

