import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, spawnCli, temporaryDirectory } from '../support/runCli.js';

const demoObjective = join(repoRoot, 'config', 'objectives', 'demo.md');
/** Where screenshots are kept for people to look at (CI keeps the workspace). */
const artifactsDir = join(repoRoot, 'test', 'artifacts');
/** The line `run --inspect` and `inspect` print, capturing the page's address. */
const INSPECTOR_URL = /inspector {2}(http:\/\/127\.0\.0\.1:\d+\/)/;
const groupStage = (stage: string) => `teambot.PARALLEL_GROUP:post_spec_review.${stage}`;

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(artifactsDir, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

async function openInspector(url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1700 } });
  await page.goto(url);
  await page.waitForFunction(() => (globalThis as unknown as { __inspector?: unknown }).__inspector !== undefined);
  return page;
}

const activeIds = (page: Page) => page.evaluate(() =>
  (globalThis as unknown as { __inspector: { activeStateIds(): string[] } }).__inspector.activeStateIds());

/** Waits until the page highlights both stages of the group as active at once. */
function bothGroupStagesActive(page: Page, timeout: number) {
  return page.waitForFunction(([research, strategy]) => {
    const ids = (globalThis as unknown as { __inspector: { activeStateIds(): string[] } }).__inspector.activeStateIds();
    return ids.includes(research!) && ids.includes(strategy!);
  }, [groupStage('RESEARCH'), groupStage('TEST_STRATEGY')], { timeout });
}

describe('statechart inspector', () => {
  it('shows RESEARCH and TEST_STRATEGY active at the same time during a live run (--inspect)', async () => {
    const cwd = temporaryDirectory();
    writeFileSync(join(cwd, 'sim.yaml'), 'default_ms: 20\nstages:\n  RESEARCH: { ms: 30000 }\n  TEST_STRATEGY: { ms: 30000 }\n');
    const run = spawnCli(['run', demoObjective, '--runner', 'simulated', '--simulate', 'sim.yaml', '--no-ui', '--inspect'], { cwd });
    const url = await run.captured(INSPECTOR_URL);
    await run.waitForOutput(/stage\.started\s+TEST_STRATEGY/);

    const page = await openInspector(url);
    await bothGroupStagesActive(page, 10_000);
    expect(await activeIds(page)).toEqual(expect.arrayContaining([groupStage('RESEARCH'), groupStage('TEST_STRATEGY')]));
    await expect(page.locator(`[data-state-id="${groupStage('RESEARCH')}"].active`).count()).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: join(artifactsDir, 'inspector-parallel-group.png'), fullPage: true });

    run.subprocess.kill('SIGINT');
    expect((await run.subprocess).exitCode).toBe(130);
    await page.close();
  }, 60_000);

  it('replays a finished run: it opens on the final state and the slider goes back to the parallel group', async () => {
    const cwd = temporaryDirectory();
    writeFileSync(join(cwd, 'sim.yaml'), 'default_ms: 5\nstages:\n  RESEARCH: { ms: 60 }\n  TEST_STRATEGY: { ms: 40 }\n');
    expect((await runCli(['run', demoObjective, '--runner', 'simulated', '--simulate', 'sim.yaml', '--no-ui'], { cwd })).exitCode).toBe(0);
    const inspect = spawnCli(['inspect', '.teambot/dark-mode-toggle'], { cwd });
    const url = await inspect.captured(INSPECTOR_URL);

    const page = await openInspector(url);
    await page.waitForFunction(() => (globalThis as unknown as { __inspector: { activeStateIds(): string[] } }).__inspector.activeStateIds().includes('teambot.COMPLETE'));
    expect(await activeIds(page)).toContain('teambot.COMPLETE');

    // The position right after both stages of the group started.
    const position = await page.evaluate(async () => {
      const events = await (await fetch('/api/events')).json() as { type: string; stage?: string }[];
      return events.findIndex((event) => event.type === 'stage.started' && event.stage === 'TEST_STRATEGY') + 1;
    });
    await page.locator('#timeline').fill(String(position));
    await page.locator('#timeline').dispatchEvent('input');
    await bothGroupStagesActive(page, 5000);
    await page.screenshot({ path: join(artifactsDir, 'inspector-replay.png'), fullPage: true });

    inspect.subprocess.kill('SIGINT');
    expect((await inspect.subprocess).exitCode).toBe(0);
    await page.close();
  }, 60_000);

  it('serves only its page and data, and only to requests for 127.0.0.1', async () => {
    const cwd = temporaryDirectory();
    writeFileSync(join(cwd, 'sim.yaml'), 'default_ms: 1\n');
    await runCli(['run', demoObjective, '--runner', 'simulated', '--simulate', 'sim.yaml', '--no-ui'], { cwd });
    const inspect = spawnCli(['inspect'], { cwd });
    const port = Number(await inspect.captured(/inspector {2}http:\/\/127\.0\.0\.1:(\d+)\//));
    const get = (path: string, host = `127.0.0.1:${port}`) => new Promise<{ status: number; body: string }>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path, headers: { host } }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => { body += chunk.toString(); });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      }).on('error', reject).end();
    });
    expect((await get('/api/graph')).body).toMatch(/"id":"teambot"/);
    expect((await get('/')).status).toBe(200);
    expect((await get('/../package.json')).status).toBe(404);
    expect((await get('/config/teambot.json')).status).toBe(404);
    expect((await get('/api/graph', 'attacker.example:80')).status).toBe(403);
    inspect.subprocess.kill('SIGTERM');
    await inspect.subprocess;
  }, 30_000);
});
