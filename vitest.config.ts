import { configDefaults, defineConfig } from 'vitest/config';

// `npm test` runs every project; `vitest run --project unit` (or cli, e2e, reliability) runs one.
// unit: pure logic and components in-process; cli: the commands in-process with their own
// streams; e2e: the built CLI as real processes (signals, terminals, browsers, agents, the
// packed package); reliability: the malformed-input corpus, concurrent runs and the
// kill-and-resume loop.
export default defineConfig({
  test: {
    globalSetup: ['test/support/globalSetup.ts'],
    testTimeout: 20_000,
    // Most of the suite waits on child processes (the CLI, fake agents, a browser), so more
    // files run at once than there are cores; no test depends on the machine's speed.
    maxWorkers: 3,
    // No test file leaves global state behind (commands take their streams, runs release their
    // signal handlers and locks), so files share a worker's imports instead of loading their own.
    pool: 'threads',
    isolate: false,
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
