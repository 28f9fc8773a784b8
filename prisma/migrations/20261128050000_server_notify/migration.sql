-- Live views: wake the panel the moment a server, or an operation on it, changes. Payload
-- "<serverId> <tenantId> <parentTenantId|->" so a panel can route it to the pages that show that server
-- or that list the tenant's (or its reseller's) servers, without another query.
CREATE FUNCTION berth_notify_server(server_id text) RETURNS void AS $$
DECLARE
  t text;
  p text;
BEGIN
  SELECT s."tenant_id", coalesce(tn."parent_id", '-') INTO t, p
    FROM "servers" s JOIN "tenants" tn ON tn."id" = s."tenant_id" WHERE s."id" = server_id;
  IF t IS NOT NULL THEN
    PERFORM pg_notify('berth_server', server_id || ' ' || t || ' ' || p);
  END IF;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION berth_notify_server_row() RETURNS trigger AS $$
BEGIN
  PERFORM berth_notify_server(NEW."id");
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION berth_notify_operation_server() RETURNS trigger AS $$
BEGIN
  IF NEW."server_id" IS NOT NULL THEN
    PERFORM berth_notify_server(NEW."server_id");
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "servers_insert_notify" AFTER INSERT ON "servers"
  FOR EACH ROW EXECUTE FUNCTION berth_notify_server_row();

CREATE TRIGGER "servers_change_notify" AFTER UPDATE OF "status", "hostname", "plan_id", "template_id", "deleted_at" ON "servers"
  FOR EACH ROW WHEN (
    OLD."status" IS DISTINCT FROM NEW."status" OR OLD."hostname" IS DISTINCT FROM NEW."hostname"
    OR OLD."plan_id" IS DISTINCT FROM NEW."plan_id" OR OLD."template_id" IS DISTINCT FROM NEW."template_id"
    OR OLD."deleted_at" IS DISTINCT FROM NEW."deleted_at")
  EXECUTE FUNCTION berth_notify_server_row();

CREATE TRIGGER "operations_insert_notify" AFTER INSERT ON "operations"
  FOR EACH ROW EXECUTE FUNCTION berth_notify_operation_server();

CREATE TRIGGER "operations_progress_notify" AFTER UPDATE OF "status", "progress", "step" ON "operations"
  FOR EACH ROW WHEN (
    OLD."status" IS DISTINCT FROM NEW."status" OR OLD."progress" IS DISTINCT FROM NEW."progress"
    OR OLD."step" IS DISTINCT FROM NEW."step")
  EXECUTE FUNCTION berth_notify_operation_server();
