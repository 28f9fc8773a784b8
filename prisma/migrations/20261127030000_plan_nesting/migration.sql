-- Plans may allow containers inside the VPS (LXC nesting); off by default.
ALTER TABLE "plans" ADD COLUMN "nesting" BOOLEAN NOT NULL DEFAULT false;
