# One image for panel, worker and agent (the command picks the process). Debian 12 like a real host.
FROM node:20-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
      lxc lxcfs debootstrap uidmap nftables openssh-client xfsprogs e2fsprogs rsync busybox-static iproute2 openssl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/panel/package.json apps/panel/
COPY apps/worker/package.json apps/worker/
COPY agent/package.json agent/
COPY packages/contracts/package.json packages/contracts/
COPY packages/config/package.json packages/config/
COPY packages/db/package.json packages/db/
COPY packages/jobs/package.json packages/jobs/
COPY packages/core/package.json packages/core/
RUN npm ci --no-audit --no-fund
COPY . .
RUN DATABASE_URL=postgresql://build:build@localhost/build npx prisma generate \
    && cd apps/panel && npx next build
