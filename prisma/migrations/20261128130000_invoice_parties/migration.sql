-- Invoices keep the names they were issued with (customer, seller), immutable like the rest.
-- AlterTable
ALTER TABLE "invoices" ADD COLUMN     "customer_name" TEXT,
ADD COLUMN     "seller_lines" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "seller_name" TEXT;


CREATE OR REPLACE FUNCTION berth_invoice_immutable() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'invoices are immutable (DELETE refused)';
  END IF;
  IF NEW."number" IS DISTINCT FROM OLD."number" OR NEW."tenant_id" IS DISTINCT FROM OLD."tenant_id"
     OR NEW."period_start" IS DISTINCT FROM OLD."period_start" OR NEW."period_end" IS DISTINCT FROM OLD."period_end"
     OR NEW."currency" IS DISTINCT FROM OLD."currency" OR NEW."total_cents" IS DISTINCT FROM OLD."total_cents"
     OR NEW."issued_at" IS DISTINCT FROM OLD."issued_at" OR NEW."due_at" IS DISTINCT FROM OLD."due_at"
     OR NEW."customer_name" IS DISTINCT FROM OLD."customer_name" OR NEW."seller_name" IS DISTINCT FROM OLD."seller_name"
     OR NEW."seller_lines" IS DISTINCT FROM OLD."seller_lines" THEN
    RAISE EXCEPTION 'invoices are immutable once issued (only payment state may change)';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
