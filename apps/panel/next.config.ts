import type { NextConfig } from 'next';

const config: NextConfig = {
  // Workspace packages ship TypeScript sources.
  transpilePackages: ['@berth/contracts', '@berth/config', '@berth/core', '@berth/db', '@berth/jobs'],
  serverExternalPackages: [
    '@node-rs/argon2', 'pg', 'postgres', '@prisma/client', '@prisma/adapter-pg', 'bullmq', 'ioredis',
    // The host installer's SSH client (ssh2 carries a native addon).
    'node-ssh', 'ssh2'],
  poweredByHeader: false,
};

export default config;
