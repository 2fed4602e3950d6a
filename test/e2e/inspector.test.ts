import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { within } from '../support/inspectorClients.js';
import { compileWorkflow } from '../../machines/workflow/compileWorkflow.js';
import { loadConfiguration } from '../../loader/loadConfiguration.js';
import { demoProject } from '../support/project.js';
import { repoRoot, spawnCli, temporaryDirectory } from '../support/runCli.js';

// Nothing here assumes how fast the machine is: every wait ends on what it waits
// for or at a deadline that fails naming it, and each test's timeout exceeds the
// sum of its deadlines (so a slow step fails with its own message, not vitest's).

/** Where screenshots are kept for people to look at (CI keeps the workspace). */
const artifactsDir = join(repoRoot, 'test', 'artifacts');
/** The line `run --inspect` and `inspect` print, capturing the page's address (its access token in the path). */
const INSPECTOR_URL = /inspector {2}(http:\/\/127\.0\.0\.1:\d+\/t\/[\w-]{43}\/)/;
const groupStage = (stage: string) => `teambot.PARALLEL_GROUP:post_spec_review.${stage}`;

/** Deadline of every single browser step (a new page, navigation, a wait in the page, a screenshot…). */
const STEP_MS = 10_000;
/** Deadline for the CLI to print a line, finish a short run, or exit after a signal. */
const CLI_MS = 30_000;
/** Unpacking Chromium from the npm package the first time, then launching it. */
const LAUNCH_MS = 90_000;


/** One browser (or HTTP) step, bounded by STEP_MS. */
const step = <T>(what: string, promise: Promise<T>) => within(promise, { deadlineMs: STEP_MS, what });

type Cli = ReturnType<typeof spawnCli>;
/** CLI processes of the current test; afterEach kills any still running (a failed test leaves none behind). */
const processes: Cli[] = [];

function startCli(args: string[], cwd: string, { path }: { path?: string } = {}): Cli {
  // spawnCli passes on this process's environment: PATH is set only while the CLI is spawned.
  const before = process.env.PATH;
  if (path !== undefined) process.env.PATH = path;
  try {
    const cli = spawnCli(args, { cwd });
    processes.push(cli);
    return cli;
  } finally {
    process.env.PATH = before;
  }
}

/** The first capture of `pattern` in the CLI's output; fails if the CLI exits first or the deadline passes. */
async function printed(cli: Cli, pattern: RegExp, what: string): Promise<string> {
  const exitedFirst = cli.subprocess.then((result) => {
    throw new Error(`the CLI exited (code ${result.exitCode}) before printing ${what}\n${result.stdout}\n${result.stderr}`);
  });
  return within(Promise.race([cli.captured(pattern), exitedFirst]), { deadlineMs: CLI_MS, what: `the CLI to print ${what}` });
}

async function exitCode(cli: Cli, what: string): Promise<number | undefined> {
  return (await within(cli.subprocess, { deadlineMs: CLI_MS, what })).exitCode;
}

/** Runs the CLI to its end (bounded) and returns its exit code. */
function runToEnd(args: string[], cwd: string, what: string): Promise<number | undefined> {
  return exitCode(startCli(args, cwd), what);
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser({ deadlineMs: LAUNCH_MS });
  mkdirSync(artifactsDir, { recursive: true });
}, LAUNCH_MS + 10_000);
afterEach(async () => {
  for (const cli of processes.splice(0)) {
    if (cli.subprocess.exitCode === null) cli.subprocess.kill('SIGKILL');
    await cli.subprocess;
  }
});
afterAll(async () => {
  if (browser) await step('the browser to close', browser.close());
}, STEP_MS + 5000);

async function openInspector(url: string, viewport = { width: 1400, height: 1700 }): Promise<Page> {
  const page = await step('a new browser page', browser.newPage({ viewport }));
  // Every Playwright call on this page (goto, screenshot, fill…) is bounded by STEP_MS.
  page.setDefaultTimeout(STEP_MS);
  await page.goto(url);
  await waitInPage(page, `the inspector page at ${url} to load its script (window.__inspector)`,
    () => (globalThis as unknown as { __inspector?: unknown }).__inspector !== undefined);
  return page;
}

const activeIds = (page: Page) => step('the page to report its active states', page.evaluate(() =>
  (globalThis as unknown as { __inspector: { activeStateIds(): string[] } }).__inspector.activeStateIds()));

/** Waits (STEP_MS at most) until `predicate` holds in the page; a timeout names `what` and the states active then. */
async function waitInPage(page: Page, what: string, predicate: (arg: string[]) => boolean, arg: string[] = []): Promise<void> {
  try {
    await page.waitForFunction(predicate, arg, { timeout: STEP_MS });
  } catch (error) {
    const now = await activeIds(page).then((ids) => ids.join(', '), () => 'unknown');
    throw new Error(`waited ${STEP_MS} ms for ${what}; active states then: ${now}\n${String(error)}`, { cause: error });
  }
}

const stageStatus = (page: Page, stage: string) => page.evaluate((id) =>
  (globalThis as unknown as { __inspector: { stageStatus(stage: string): string } }).__inspector.stageStatus(id), stage);

/** Waits until the page highlights both stages of the group as active at once. */
function bothGroupStagesActive(page: Page) {
  return waitInPage(page, 'RESEARCH and TEST_STRATEGY to be active at once', ([research, strategy]) => {
    const ids = (globalThis as unknown as { __inspector: { activeStateIds(): string[] } }).__inspector.activeStateIds();
    return ids.includes(research!) && ids.includes(strategy!);
  }, [groupStage('RESEARCH'), groupStage('TEST_STRATEGY')]);
}

describe('statechart inspector', () => {
  // Deadlines: 2 printed lines and the exit (CLI_MS each); new page, goto, 2 page waits (each up
  // to 2 steps with its report), 2 reads, screenshot, close (STEP_MS each).
  it('shows RESEARCH and TEST_STRATEGY active at the same time during a live run (--inspect)', async () => {
    // The group's stages last far longer than the test: they are running whenever the page looks, and SIGINT ends them.
    const { cwd, run: args } = demoProject('default_ms: 20\nstages:\n  RESEARCH: { ms: 3600000 }\n  TEST_STRATEGY: { ms: 3600000 }\n');
    const run = startCli([...args, '--inspect'], cwd);
    const url = await printed(run, INSPECTOR_URL, "the inspector's address");
    await printed(run, /stage\.started\s+TEST_STRATEGY/, 'stage.started TEST_STRATEGY');

    const page = await openInspector(url);
    await bothGroupStagesActive(page);
    expect(await activeIds(page)).toEqual(expect.arrayContaining([groupStage('RESEARCH'), groupStage('TEST_STRATEGY')]));
    await expect(step('the count of highlighted RESEARCH elements', page.locator(`[data-state-id="${groupStage('RESEARCH')}"].active`).count()))
      .resolves.toBeGreaterThan(0);
    await page.screenshot({ path: join(artifactsDir, 'inspector-parallel-group.png'), fullPage: true, animations: 'disabled' });

    run.subprocess.kill('SIGINT');
    expect(await exitCode(run, 'the run to exit after SIGINT')).toBe(130);
    await step('the page to close', page.close());
  }, 3 * CLI_MS + 10 * STEP_MS + 10_000);

  // Deadlines: the run, 1 printed line and the exit (CLI_MS each); new page, goto, 3 page waits
  // (each up to 2 steps with its report), 3 reads, fill, dispatch, screenshot, close (STEP_MS each).
  it('replays a finished run: it opens on the final state and the slider goes back to the parallel group', async () => {
    const { cwd, run: args } = demoProject('default_ms: 5\nstages:\n  RESEARCH: { ms: 60 }\n  TEST_STRATEGY: { ms: 40 }\n');
    expect(await runToEnd(args, cwd, 'the simulated run to finish')).toBe(0);
    const inspect = startCli(['inspect', '.teambot/dark-mode-toggle'], cwd);
    const url = await printed(inspect, INSPECTOR_URL, "the inspector's address");

    const page = await openInspector(url);
    await waitInPage(page, 'the replay to open on the final state (teambot.COMPLETE active)', () =>
      (globalThis as unknown as { __inspector: { activeStateIds(): string[] } }).__inspector.activeStateIds().includes('teambot.COMPLETE'));
    expect(await activeIds(page)).toEqual(['teambot.COMPLETE']);

    // The position right after both stages of the group started (the later of the two
    // starts), which must come before either completes: that is what "parallel" means.
    const { position, firstCompleted } = await step('the page to fetch /api/events', page.evaluate(async () => {
      // Beside the page, as the page asks: the address carries the token.
      const events = await (await fetch('api/events')).json() as { type: string; stage?: string }[];
      const index = (type: string, stage: string) => events.findIndex((event) => event.type === type && event.stage === stage);
      return {
        position: Math.max(index('stage.started', 'RESEARCH'), index('stage.started', 'TEST_STRATEGY')) + 1,
        firstCompleted: Math.min(...['RESEARCH', 'TEST_STRATEGY'].map((stage) => index('stage.completed', stage))),
      };
    }));
    expect(position, 'both group stages started').toBeGreaterThan(0);
    expect(position, 'both stages started before either completed').toBeLessThanOrEqual(firstCompleted);
    await page.locator('#timeline').fill(String(position));
    await page.locator('#timeline').dispatchEvent('input');
    await bothGroupStagesActive(page);
    // The header says the status as of the slider's position, not the run's final one.
    await expect(step('the status shown mid-replay', page.locator('#run-status').textContent())).resolves.toBe('running');
    await page.screenshot({ path: join(artifactsDir, 'inspector-replay.png'), fullPage: true, animations: 'disabled' });

    inspect.subprocess.kill('SIGINT');
    expect(await exitCode(inspect, '`teambot inspect` to exit after SIGINT')).toBe(0);
    await step('the page to close', page.close());
  }, 3 * CLI_MS + 15 * STEP_MS + 10_000);

  // Deadlines: 2 runs, 1 printed line, the fake browser and the exit (CLI_MS each); new page, goto, 4 page
  // waits (each up to 2 steps with its report), 8 reads, 2 fills, 2 dispatches, screenshot, close (STEP_MS each).
  it('run --inspect --open opens the tokenized address in the default browser; --open alone is refused', async () => {
    const project = demoProject('default_ms: 5\n');
    const bin = temporaryDirectory();
    const opened = join(bin, 'opened.txt');
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$1" > ${JSON.stringify(opened)}\n`);
    chmodSync(join(bin, 'xdg-open'), 0o755);
    const run = startCli([...project.run, '--inspect', '--open'], project.cwd, { path: `${bin}:${process.env.PATH ?? ''}` });
    const url = await printed(run, INSPECTOR_URL, "the inspector's address");
    expect(await exitCode(run, 'the run to finish')).toBe(0);
    await within((async () => { while (!existsSync(opened)) await new Promise((resolve) => setTimeout(resolve, 20)); })(),
      { deadlineMs: CLI_MS, what: 'the fake xdg-open to record the address' });
    expect(readFileSync(opened, 'utf8').trim()).toBe(url);

    expect(await runToEnd([...project.run, '--open'], project.cwd, 'the refused run')).toBe(2);
  }, 60_000);

  it('replays every session of a run that failed and was resumed: all events, from nothing done, opening at the failed stage (inspect --open)', async () => {
    const project = demoProject('default_ms: 5\nstages:\n  TEST_STRATEGY: { fail: simulated failure }\n');
    expect(await runToEnd(project.run, project.cwd, 'the run that fails to finish')).toBe(1);
    project.simulate('default_ms: 5\n');
    expect(await runToEnd(project.resume, project.cwd, 'the resumed run to finish')).toBe(0);
    const logged = project.events();
    expect(logged.filter((event) => event.type === 'run.started')).toHaveLength(2);
    const failedAt = logged.findIndex((event) => event.type === 'stage.failed' && event.stage === 'TEST_STRATEGY') + 1;
    expect(failedAt).toBeGreaterThan(0);

    // A fake desktop: `xdg-open` on PATH records the address it is asked to open.
    const bin = temporaryDirectory();
    const opened = join(bin, 'opened.txt');
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$1" > ${JSON.stringify(opened)}\n`);
    chmodSync(join(bin, 'xdg-open'), 0o755);
    const inspect = startCli(['inspect', '--open'], project.cwd, { path: `${bin}:${process.env.PATH ?? ''}` });
    const url = await printed(inspect, INSPECTOR_URL, "the inspector's address");
    await printed(inspect, /opened it in your browser/, 'that it opened the browser');
    await within((async () => { while (!existsSync(opened)) await new Promise((resolve) => setTimeout(resolve, 20)); })(),
      { deadlineMs: CLI_MS, what: 'the fake xdg-open to record the address' });
    expect(readFileSync(opened, 'utf8').trim()).toBe(url);

    // A window small enough that the chart scrolls and the event rows wrap.
    const page = await openInspector(url, { width: 1100, height: 800 });
    await waitInPage(page, 'the page to be ready', () => document.body.dataset.ready === 'true');
    const timeline = page.locator('#timeline');
    // Every event of both sessions on the slider, which opens just after the failure.
    await expect(step('the slider\'s end', timeline.getAttribute('max'))).resolves.toBe(String(logged.length));
    await expect(step('the slider\'s position', timeline.inputValue())).resolves.toBe(String(failedAt));
    await expect(step('the failed stage\'s status', stageStatus(page, 'TEST_STRATEGY'))).resolves.toBe('failed');
    // Scrolling may be smooth: wait for the stage to arrive in view rather than look once.
    await waitInPage(page, 'TEST_STRATEGY to be scrolled into view', ([stage]) => {
      const box = document.querySelector(`[data-stage="${stage}"]`)!.getBoundingClientRect();
      const pane = document.querySelector('#chart')!.getBoundingClientRect();
      return box.top >= pane.top && box.bottom <= pane.bottom && box.bottom <= window.innerHeight;
    }, ['TEST_STRATEGY']);
    // The objective's title, not the feature's slug.
    await expect(step('the title', page.locator('#run-title').textContent())).resolves.toBe('Add a dark mode toggle to the settings page');
    await page.screenshot({ path: join(artifactsDir, 'inspector-failed-and-resumed.png'), animations: 'disabled' });

    // Event rows break between words, never inside one (unless a word is wider than its line).
    const brokenWords = await step('the words broken across lines', page.evaluate(() => {
      const broken: string[] = [];
      for (const text of Array.from(document.querySelectorAll('#events .ev-body'))) {
        const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (const match of (node.textContent ?? '').matchAll(/\S+/g)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const rects = Array.from(range.getClientRects()).filter((rect) => rect.width > 0);
            const lines = new Set(rects.map((rect) => Math.round(rect.top)));
            if (lines.size > 1 && range.getBoundingClientRect().width < text.getBoundingClientRect().width) broken.push(match[0]);
          }
        }
      }
      return broken;
    }));
    expect(brokenWords).toEqual([]);

    // Event 0: before the first session, nothing is done.
    await timeline.fill('0');
    await timeline.dispatchEvent('input');
    await waitInPage(page, 'the replay to show event 0', () =>
      (globalThis as unknown as { __inspector: { eventCount(): number } }).__inspector.eventCount() === 0);
    // The page draws a frame after the slider moves: wait for the drawing, not for a moment.
    await waitInPage(page, 'no stage to be shown completed at event 0, and SETUP pending', () =>
      document.querySelectorAll('[data-stage][data-status="completed"]').length === 0
      && document.querySelector('[data-stage="SETUP"]')?.getAttribute('data-status') === 'pending');

    // The end: the resumed session completed the run.
    await timeline.fill(String(logged.length));
    await timeline.dispatchEvent('input');
    await waitInPage(page, 'the replay to end on the final state (teambot.COMPLETE active)', () =>
      (globalThis as unknown as { __inspector: { activeStateIds(): string[] } }).__inspector.activeStateIds().includes('teambot.COMPLETE'));
    await expect(step('TEST_STRATEGY\'s status at the end', stageStatus(page, 'TEST_STRATEGY'))).resolves.toBe('completed');

    // No name the machine uses for its actions, guards or actors, anywhere in the page's text or tooltips.
    const { stages } = await loadConfiguration({ cwd: temporaryDirectory() });
    const { implementations } = compileWorkflow(stages);
    const names = [...Object.keys(implementations.actions), ...Object.keys(implementations.guards), ...Object.keys(implementations.actors)];
    const shown = await step('the page\'s text and tooltips', page.evaluate(() => [document.body.textContent ?? '',
      ...Array.from(document.querySelectorAll('[title], [aria-label]')).flatMap((element) => [element.getAttribute('title') ?? '', element.getAttribute('aria-label') ?? ''])].join('\n')));
    expect(names.filter((name) => new RegExp(`\\b${name}\\b`).test(shown))).toEqual([]);
    expect(shown).not.toContain('context.');
    expect(shown).not.toContain('GROUP.ABORT');

    inspect.subprocess.kill('SIGINT');
    expect(await exitCode(inspect, '`teambot inspect` to exit after SIGINT')).toBe(0);
    await step('the page to close', page.close());
  }, 5 * CLI_MS + 25 * STEP_MS + 10_000);

  // Deadlines: the run, 1 printed line and the exit (CLI_MS each); 9 requests (STEP_MS each).
  it('serves only its page and data, only under its token and only to requests for 127.0.0.1', async () => {
    const { cwd, run: args } = demoProject('default_ms: 1\n');
    await runToEnd(args, cwd, 'the simulated run to finish');
    const inspect = startCli(['inspect'], cwd);
    const url = new URL(await printed(inspect, INSPECTOR_URL, "the inspector's address"));
    const port = Number(url.port);
    const base = url.pathname;
    const get = (path: string, host = `127.0.0.1:${port}`) => within(new Promise<{ status: number; body: string }>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path, headers: { host } }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => { body += chunk.toString(); });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      }).on('error', reject).end();
    }), { deadlineMs: STEP_MS, what: `the inspector to answer GET ${path} (Host: ${host})` });
    expect((await get(`${base}api/graph`)).body).toMatch(/"id":"teambot"/);
    expect((await get(base)).status).toBe(200);
    // The page's script, bundled from its TypeScript modules into dist/inspector/.
    expect((await get(`${base}inspector.js`)).body).toContain('__inspector');
    expect((await get(`${base}../package.json`)).status).toBe(404);
    expect((await get(`${base}config/teambot.json`)).status).toBe(404);
    expect((await get(`${base}api/graph`, 'attacker.example:80')).status).toBe(403);
    // Without the token: nothing, not even the page.
    expect((await get('/')).status).toBe(403);
    expect((await get('/api/graph')).status).toBe(403);
    expect((await get('/t/not-the-token/api/graph')).status).toBe(403);
    inspect.subprocess.kill('SIGTERM');
    await exitCode(inspect, '`teambot inspect` to exit after SIGTERM');
  }, 3 * CLI_MS + 9 * STEP_MS + 10_000);

  // Deadlines: 2 printed lines and the exit (CLI_MS each); the other origin's server, 4 pages
  // (new page, goto, a wait or read each), close (STEP_MS each).
  it('a page of another origin cannot open the WebSocket, even knowing the token; the address without the token shows no run', async () => {
    const { cwd, run: args } = demoProject('default_ms: 20\nstages:\n  RESEARCH: { ms: 3600000 }\n');
    const run = startCli([...args, '--inspect'], cwd);
    const url = new URL(await printed(run, INSPECTOR_URL, "the inspector's address"));
    await printed(run, /stage\.started\s+RESEARCH/, 'stage.started RESEARCH');

    // Another site the user has open, here served from another port: its script tries the socket.
    const webSocketUrl = `ws://127.0.0.1:${url.port}${url.pathname}ws`;
    const other = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<!doctype html><script>
        const socket = new WebSocket(${JSON.stringify(webSocketUrl)});
        window.result = new Promise((resolve) => {
          const received = [];
          socket.onmessage = (message) => received.push(String(message.data));
          socket.onopen = () => resolve({ opened: true, received });
          socket.onclose = () => resolve({ opened: false, received });
        });
      </script>`);
    });
    await step('another origin to listen', new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve)));
    try {
      const page = await step('a new browser page', browser.newPage());
      page.setDefaultTimeout(STEP_MS);
      await page.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`);
      const result = await step('the other origin\'s WebSocket attempt to end', page.evaluate(() =>
        (globalThis as unknown as { result: Promise<{ opened: boolean; received: string[] }> }).result));
      expect(result).toEqual({ opened: false, received: [] });

      // The inspector's own address without its token: a refusal, and none of the run.
      const response = await page.goto(`${url.origin}/`);
      expect(response?.status()).toBe(403);
      await expect(step('the refused page\'s text', page.locator('body').textContent())).resolves.not.toMatch(/dark-mode-toggle|stage\./);
      await step('the page to close', page.close());
    } finally {
      other.close();
    }
    run.subprocess.kill('SIGINT');
    expect(await exitCode(run, 'the run to exit after SIGINT')).toBe(130);
  }, 3 * CLI_MS + 10 * STEP_MS + 10_000);
});
