export default async function globalTeardown() {
  const stack = globalThis.__berthE2eStack;
  globalThis.__berthE2eStack = undefined;
  await stack?.stop();
}
