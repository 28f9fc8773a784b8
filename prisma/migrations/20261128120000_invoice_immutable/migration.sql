-- Issued invoices are immutable: only their payment state (status, paid_cents, paid_at) and the dunning
-- reminder time may change; their lines never change and nothing is ever deleted.
CREATE FUNCTION berth_invoice_immutable() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'invoices are immutable (DELETE refused)';
  END IF;
  IF NEW."number" IS DISTINCT FROM OLD."number" OR NEW."tenant_id" IS DISTINCT FROM OLD."tenant_id"
     OR NEW."period_start" IS DISTINCT FROM OLD."period_start" OR NEW."period_end" IS DISTINCT FROM OLD."period_end"
     OR NEW."currency" IS DISTINCT FROM OLD."currency" OR NEW."total_cents" IS DISTINCT FROM OLD."total_cents"
     OR NEW."issued_at" IS DISTINCT FROM OLD."issued_at" OR NEW."due_at" IS DISTINCT FROM OLD."due_at" THEN
    RAISE EXCEPTION 'invoices are immutable once issued (only payment state may change)';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "invoices_immutable" BEFORE UPDATE OR DELETE ON "invoices"
  FOR EACH ROW EXECUTE FUNCTION berth_invoice_immutable();

CREATE FUNCTION berth_invoice_lines_immutable() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'invoice lines are immutable (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "invoice_lines_immutable" BEFORE UPDATE OR DELETE ON "invoice_lines"
  FOR EACH ROW EXECUTE FUNCTION berth_invoice_lines_immutable();
