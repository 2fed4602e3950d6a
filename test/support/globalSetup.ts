import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** What the bundle is built from: a change to any of these makes dist/ stale. */
const SOURCES = ['ui', 'loader', 'machines', 'config', 'package.json', 'tsup.config.ts'];

/**
 * The CLI tests spawn the real bundled `dist/cli.js`: build it before any test
 * runs when a source is newer than the bundle (a stale build would test
 * yesterday's code), and not otherwise, so `npm run build && npm test` builds once.
 */
export default async function buildCli(): Promise<void> {
  // The CLI, its agents' watchdog and the inspector page's browser bundle; all are built by one tsup run.
  const bundles = [join(root, 'dist', 'cli.js'), join(root, 'dist', 'watchdog.js'), join(root, 'dist', 'inspector', 'inspector.js')];
  const newest = newestSourceMtime();
  if (bundles.every((bundle) => existsSync(bundle) && newest <= statSync(bundle).mtimeMs)) return;
  await execa('node_modules/.bin/tsup', ['--silent'], { cwd: root });
}

function newestSourceMtime(): number {
  let newest = 0;
  const visit = (path: string) => {
    const stats = statSync(path);
    if (stats.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else newest = Math.max(newest, stats.mtimeMs);
  };
  for (const source of SOURCES) visit(join(root, source));
  return newest;
}
