-- AlterTable
ALTER TABLE "hosts" ADD COLUMN     "console_url" TEXT;

