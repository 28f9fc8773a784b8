-- AlterTable
ALTER TABLE "hosts" ADD COLUMN     "agent_install_id" TEXT,
ADD COLUMN     "ssh_host_key" TEXT;

