import { defineConfig } from 'vitest/config';

// `npm run docs:screenshots`: regenerates the pictures in docs/ (see docsScreenshots.ts). Not part
// of `npm test`: it writes into the repository. vitest runs it so that it can use the tests' own
// TypeScript helpers (the browser, the terminal) with nothing else to install.
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['bench/screenshots/docsScreenshots.ts'],
    // Builds dist/ when a source is newer, as before the tests.
    globalSetup: ['test/support/globalSetup.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
