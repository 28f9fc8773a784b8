-- Throttle plans: the cap's life cycle per server and month.
-- AlterTable
ALTER TABLE "transfer_usage" ADD COLUMN     "cap_queued_at" TIMESTAMP(3),
ADD COLUMN     "released_at" TIMESTAMP(3);


-- The throttle sync reads only rows with work to do.
CREATE INDEX "transfer_usage_cap_due_idx" ON "transfer_usage" ("month") WHERE "throttled_at" IS NOT NULL AND "cap_queued_at" IS NULL;
CREATE INDEX "transfer_usage_release_due_idx" ON "transfer_usage" ("month") WHERE "throttled_at" IS NOT NULL AND "released_at" IS NULL;
