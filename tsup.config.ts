import { defineConfig } from 'tsup';

// One bundled ESM entry for the `teambot` bin. Dependencies stay external (they
// are installed beside us); heavy UI modules are split out and loaded lazily.
export default defineConfig({
  entry: { cli: 'ui/cli.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  outDir: 'dist',
  clean: true,
  splitting: true,
  sourcemap: true,
  banner: { js: '#!/usr/bin/env node' },
});
