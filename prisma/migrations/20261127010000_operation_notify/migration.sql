-- Wake waiters (GET /operations/{id}?wait=N, live views) the moment an operation changes status.
CREATE FUNCTION berth_notify_operation() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('berth_operation', NEW."id");
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "operations_status_notify" AFTER UPDATE OF "status" ON "operations"
  FOR EACH ROW WHEN (OLD."status" IS DISTINCT FROM NEW."status")
  EXECUTE FUNCTION berth_notify_operation();
