import { execa } from 'execa';

/**
 * The CLI tests spawn the real bundled `dist/cli.js`, so build it once before
 * any test runs; a stale build would test yesterday's code.
 */
export default async function buildCli(): Promise<void> {
  await execa('node_modules/.bin/tsup', ['--silent'], { cwd: new URL('../..', import.meta.url) });
}
