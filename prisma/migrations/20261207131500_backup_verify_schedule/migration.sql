-- Scheduled servers get their newest backup verified every few days (the worker's BACKUP_VERIFY_EVERY_DAYS).
ALTER TABLE "backup_schedules" ADD COLUMN "verify_next_at" TIMESTAMP(3);
CREATE INDEX "backup_schedules_verify_next_at_idx" ON "backup_schedules"("verify_next_at");
-- Schedules already on: the first verify two hours after their next backup, spread over a week by server so
-- they do not all come at once (new schedules get the same kind of spread from the panel).
UPDATE "backup_schedules"
SET "verify_next_at" = "next_run_at" + interval '2 hours' + mod(hashtext("server_id")::bigint + 2147483648, 168) * interval '1 hour'
WHERE "enabled" AND "next_run_at" IS NOT NULL;
