-- AlterTable
ALTER TABLE "hosts" ADD COLUMN     "usage" JSONB;

