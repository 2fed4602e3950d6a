import { defineConfig } from 'tsup';

export default defineConfig([
  // One bundled ESM entry for the `teambot` bin. Dependencies stay external (they
  // are installed beside us); heavy UI modules are split out and loaded lazily.
  // Cleaning leaves dist/inspector/ to the page's build, which runs beside this one.
  {
    // The watchdog that kills agents if teambot dies runs as its own small process (watchdog.ts).
    entry: { cli: 'ui/cli.ts', watchdog: 'machines/runners/process/watchdogMain.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    outDir: 'dist',
    clean: ['!inspector/**'],
    splitting: true,
    sourcemap: true,
    banner: { js: '#!/usr/bin/env node' },
  },
  // The inspector page's script, one self-contained file for the browser: the
  // server (ui/inspector/server/inspectorServer.ts) hands it out as /inspector.js, with no network.
  {
    entry: { inspector: 'ui/inspector/page/main.ts' },
    format: ['iife'],
    target: 'es2022',
    platform: 'browser',
    outDir: 'dist/inspector',
    outExtension: () => ({ js: '.js' }),
    clean: true,
    splitting: false,
    sourcemap: false,
  },
]);
