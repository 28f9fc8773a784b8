-- Opt-in private networking between one tenant's VPSes on a host.
ALTER TABLE "tenants" ADD COLUMN "private_network" BOOLEAN NOT NULL DEFAULT false;
ALTER TYPE "OperationType" ADD VALUE 'network';
