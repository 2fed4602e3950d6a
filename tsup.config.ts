import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';
import { stagesSnapshotOf, teamSnapshotOf } from './loader/builtinSnapshots.js';

// The built-in workflow and team, parsed and validated here rather than at every start:
// config/stages.yaml's text, data, positions and workflow, config/teambot.json's text and team,
// bundled as TEAMBOT_STAGES_SNAPSHOT and TEAMBOT_TEAM_SNAPSHOT (loader/stagesSnapshot.ts,
// loader/teamSnapshot.ts). The files stay the one source: teambot reads them at run time and
// uses these only when a text is the same. A built-in file with problems gets no snapshot: it is
// parsed, and its problems reported, at run time.
const builtinText = (name: string) => readFileSync(new URL(`config/${name}`, import.meta.url), 'utf8');
const snapshotDefine = (snapshot: object | undefined) => (snapshot ? JSON.stringify(JSON.stringify(snapshot)) : 'undefined');
const builtinSnapshots = {
  TEAMBOT_STAGES_SNAPSHOT: snapshotDefine(stagesSnapshotOf(builtinText('stages.yaml'))),
  TEAMBOT_TEAM_SNAPSHOT: snapshotDefine(teamSnapshotOf(builtinText('teambot.json'))),
};

export default defineConfig([
  // One bundled ESM entry for the `teambot` bin, dependencies included (but Ink and React,
  // below); heavy UI modules are split out and loaded lazily.
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
    define: builtinSnapshots,
    // Dependencies are bundled too: Node resolves and reads a few dozen files instead of
    // hundreds at start-up (zod alone was 95). CommonJS dependencies bundled into ESM need
    // require, __filename and __dirname, which the banner provides.
    // Ink is bundled as well (its es-toolkit import alone opened 416 files); React, the
    // reconciler and its scheduler are not: they stay in node_modules (direct dependencies, so
    // they resolve from dist/), loaded only when the live view starts, where startLiveView.ts picks their
    // production builds through require (a bundled copy would not be the one it required) and
    // gets createElement by name. react-devtools-core is an optional import of Ink's, never installed.
    noExternal: [/^(?!(?:react|react-dom|react-reconciler|scheduler|react-devtools-core)(?:\/|$))/],
    external: ['react-devtools-core', 'react-reconciler', 'scheduler'],
    banner: {
      js: [
        '#!/usr/bin/env node',
        "import { createRequire as __teambotCreateRequire } from 'node:module';",
        "import { fileURLToPath as __teambotFileURLToPath } from 'node:url';",
        "import { dirname as __teambotDirname } from 'node:path';",
        'const require = __teambotCreateRequire(import.meta.url);',
        'const __filename = __teambotFileURLToPath(import.meta.url);',
        'const __dirname = __teambotDirname(__filename);',
      ].join('\n'),
    },
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
