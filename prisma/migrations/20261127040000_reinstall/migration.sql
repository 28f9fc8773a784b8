-- Reinstall: rebuild a VPS's disk from a template, keeping its IP, plan and id range.
ALTER TYPE "OperationType" ADD VALUE 'reinstall';
