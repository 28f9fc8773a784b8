-- AlterTable
ALTER TABLE "hosts" ADD COLUMN     "transfer_cert_pem" TEXT;

