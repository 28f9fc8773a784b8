-- Live resize to another plan.
ALTER TYPE "OperationType" ADD VALUE 'resize';
ALTER TABLE "operations" ADD COLUMN "params" JSONB;
