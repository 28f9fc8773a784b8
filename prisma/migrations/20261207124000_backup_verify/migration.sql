-- A backup read back from its target and every chunk checked: an operation, and when it last passed.
ALTER TYPE "OperationType" ADD VALUE 'backup_verify';
ALTER TABLE "backups" ADD COLUMN "verified_at" TIMESTAMP(3);
