// `npm run docs:screenshots` (vitest.config.ts beside this file): the pictures in docs/, made
// from real runs of the built CLI. The terminal as a person sees it (node-pty and a headless
// xterm.js, rendered to HTML with its colours) and the inspector page, both photographed by the
// Chromium the browser tests use. Every wait has a deadline that names what it waited for.
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, it } from 'vitest';
import { launchBrowser } from '../../test/support/browser.js';
import { within } from '../../test/support/inspectorClients.js';
import { demoProject } from '../../test/support/project.js';
import { repoRoot, spawnCli, temporaryDirectory } from '../../test/support/runCli.js';
import { recordTerminal } from './terminalHtml.js';

const docs = join(repoRoot, 'docs');
/** The live view's size in the pictures (columns × rows). */
const COLS = 100;
const ROWS = 30;
/** Deadline of one step: a frame to appear, the demo to end, a page to load. */
const STEP_MS = 60_000;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser({ deadlineMs: 90_000 });
  mkdirSync(docs, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

/** Photographs an HTML page of the terminal's screen, cut to the window drawn. */
async function photographTerminal(html: string, file: string): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
  page.setDefaultTimeout(STEP_MS);
  await page.setContent(html);
  await page.locator('.window').screenshot({ path: join(docs, file), animations: 'disabled' });
  await page.close();
  console.log(`wrote docs/${file}`);
}

it('docs/terminal-live.png and docs/terminal-summary.png: `npm start`, the demo, in a 100×30 terminal', async () => {
  // A copy of the built package (package.json, dist/ and config/, with the demo's objective and simulation), so the run
  // writes nothing into the repository and its commands read as `npm start` runs them: `node dist/cli.js …`.
  const cwd = temporaryDirectory();
  for (const path of ['dist', 'config', 'package.json']) cpSync(join(repoRoot, path), join(cwd, path), { recursive: true });
  symlinkSync(join(repoRoot, 'node_modules'), join(cwd, 'node_modules'));
  // A person's terminal: no CI (which chooses the plain reporter), colours on.
  const { CI: _ci, NO_COLOR: _noColor, FORCE_COLOR: _forceColor, ...rest } = process.env;
  const env = { ...rest, TERM: 'xterm-256color', COLORTERM: 'truecolor' };
  const demo = recordTerminal('node', ['dist/cli.js', 'run', 'config/objectives/demo.md', '--runner', 'simulated',
    '--simulate', 'config/simulations/demo.yaml', '--fresh'], { cwd, env, cols: COLS, rows: ROWS });
  try {
    if (process.env.SCREENSHOTS_DEBUG) {
      const start = Date.now();
      const seen: string[] = [];
      void demo.waitForScreen((screen) => { seen.push(`--- ${Date.now() - start} ms\n${screen}`); return false; }, 'debug', STEP_MS).catch(() => {});
      await demo.exited;
      writeFileSync('/tmp/screens.txt', `${seen.join('\n')}\n=== all rows\n${demo.allRows().join('\n')}`);
      return;
    }
    // Mid-run: while the parallel group runs, both of its stages on screen as running, a second in.
    await demo.waitForScreen((screen) => ['RESEARCH', 'TEST_STRATEGY'].every((stage) => runningRow(screen, stage, / 1 s · /)),
      'RESEARCH and TEST_STRATEGY to run side by side', STEP_MS);
    await photographTerminal(demo.html(), 'terminal-live.png');
    const code = await within(demo.exited, { deadlineMs: STEP_MS, what: 'the demo to finish' });
    if (code !== 0) throw new Error(`the demo exited with code ${code}`);
    // The whole summary (taller than the screen), from its first line, "✓ complete", under the live view's last frame.
    const rows = demo.allRows();
    const visibleFrom = rows.length - ROWS;
    const summaryFrom = rows.findLastIndex((row) => /^\S+\s+complete$/.test(row.trim()));
    if (summaryFrom < 0) throw new Error(`no "✓ complete" line in:\n${rows.join('\n')}`);
    await photographTerminal(demo.html(Math.max(0, visibleFrom - summaryFrom)), 'terminal-summary.png');
  } finally {
    demo.kill();
  }
});

it('docs/inspector-parallel-group.png: the inspector during the parallel group (run --inspect)', async () => {
  // The group's stages last far longer than the picture takes: they are running whenever the page looks.
  const { cwd, run: args } = demoProject('default_ms: 20\nstages:\n  RESEARCH: { ms: 3600000 }\n  TEST_STRATEGY: { ms: 3600000 }\n');
  const run = spawnCli([...args, '--inspect'], { cwd });
  try {
    const url = await run.captured(/inspector {2}(http:\/\/127\.0\.0\.1:\d+\/t\/[\w-]{43}\/)/, STEP_MS);
    await run.waitForOutput(/stage\.started\s+TEST_STRATEGY/, STEP_MS);
    const page = await browser.newPage({ viewport: { width: 1400, height: 1700 } });
    page.setDefaultTimeout(STEP_MS);
    await page.goto(url);
    await page.waitForFunction(([research, strategy]) => {
      const ids = (globalThis as unknown as { __inspector?: { activeStateIds(): string[] } }).__inspector?.activeStateIds() ?? [];
      return ids.includes(research!) && ids.includes(strategy!);
    }, ['RESEARCH', 'TEST_STRATEGY'].map((stage) => `teambot.PARALLEL_GROUP:post_spec_review.${stage}`));
    await page.screenshot({ path: join(docs, 'inspector-parallel-group.png'), fullPage: true, animations: 'disabled' });
    console.log('wrote docs/inspector-parallel-group.png');
    await page.close();
  } finally {
    run.subprocess.kill('SIGKILL');
    await run.subprocess;
  }
});

/** Whether the screen shows `stage` on a row that says it is running (a spinner) and matches `also`. */
function runningRow(screen: string, stage: string, also: RegExp): boolean {
  return screen.split('\n').some((line) => line.includes(` ${stage} `) && /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/.test(line) && also.test(line));
}
