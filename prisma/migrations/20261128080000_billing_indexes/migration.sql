-- Billing at scale: every per-tick query of the meter, the invoicer and dunning reads only due rows.
-- DropIndex
DROP INDEX "invoices_tenant_id_period_start_key";

-- DropIndex
DROP INDEX "servers_billed_through_idx";

-- CreateIndex
CREATE INDEX "invoices_tenant_id_period_start_idx" ON "invoices"("tenant_id", "period_start");


-- The meter: servers with unbilled ended hours, oldest watermark first. Finished deleted servers are
-- not in the index, so it never walks the history of everything ever deleted.
CREATE INDEX "servers_billing_due_idx" ON "servers" ("billed_through")
  WHERE "deleted_at" IS NULL OR date_trunc('hour', "billed_through") < "deleted_at";

-- Dunning: suspended servers by tenant, suspended tenants, reminders not yet sent.
CREATE INDEX "servers_suspended_idx" ON "servers" ("tenant_id") WHERE "status" = 'suspended';
CREATE INDEX "tenants_suspended_at_idx" ON "tenants" ("suspended_at") WHERE "suspended_at" IS NOT NULL;
CREATE INDEX "invoices_to_remind_idx" ON "invoices" ("due_at") WHERE "status" = 'issued' AND "reminded_at" IS NULL;

-- The invoicer: usage not yet invoiced, by month.
CREATE INDEX "usage_lines_uninvoiced_idx" ON "usage_lines" ("month", "tenant_id") WHERE "invoice_id" IS NULL;
