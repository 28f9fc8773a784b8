/** Interactive transactions wait for row locks under bursts of creates; Prisma's 2 s/5 s defaults are too tight. */
export const TX_OPTIONS = { maxWait: 15_000, timeout: 30_000 } as const;
