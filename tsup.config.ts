import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { defineConfig, type Options } from 'tsup';
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

// zod's namespace (`import { z } from 'zod'`) carries every locale, half of zod's bundle, which
// esbuild cannot drop; teambot writes its own messages (loader/zodIssues.ts) and zod's default
// is English, so only English is bundled: the start-up compiles 370 KB less.
const zodEnglishOnly: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => (/[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
      ? { path: `${dirname(args.importer)}/../locales/index.js`, namespace: 'zod-english-only' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: "export { default as en } from './en.js';", resolveDir: dirname(args.path), loader: 'js',
    }));
  },
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
    esbuildPlugins: [zodEnglishOnly],
    define: builtinSnapshots,
    // Dependencies are bundled too: Node resolves and reads a few dozen files instead of
    // hundreds at start-up (zod alone was 95). CommonJS dependencies bundled into ESM need
    // require, __filename and __dirname, which the banner provides.
    // Not the live view's Ink and React: they stay in node_modules, loaded only when the view
    // starts, where startLiveView.ts picks React's production build through require (a bundled
    // copy would not be the one it required) and gets createElement by name.
    noExternal: [/^(?!(?:ink|react|react-dom|react-reconciler|scheduler|yoga-layout|react-devtools-core)(?:\/|$))/],
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
