import { configDefaults, defineConfig } from 'vitest/config';

// `npm test` runs every project; `vitest run --project unit` (or cli, e2e, reliability) runs one.
// unit: pure logic and components in-process; cli: the commands in-process with their own
// streams; e2e: the built CLI as real processes (signals, terminals, browsers, agents);
// reliability: the malformed-input corpus, concurrent runs and the kill-and-resume loop.
export default defineConfig({
  test: {
    globalSetup: ['test/support/globalSetup.ts'],
    testTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/{loader,machines,ui}/**/*.test.{ts,tsx}'], exclude: [...configDefaults.exclude, 'test/ui/commands/**'] },
      },
      { extends: true, test: { name: 'cli', include: ['test/ui/commands/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'] } },
      { extends: true, test: { name: 'reliability', include: ['test/reliability/**/*.test.ts'] } },
    ],
  },
});
