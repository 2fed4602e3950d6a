import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { halfOpenRequest, httpGet, inspectorAddress, within, wsClient } from '../support/inspectorClients.js';
import { demoProject } from '../support/project.js';
import { cliPath } from '../support/runCli.js';

// The inspector shows a run's every event and agent output line: these are the
// attacks an adversarial review made on it, each through the real CLI. Every wait
// ends on what it waits for or at a deadline that names it; none depends on speed.

/** Deadline for the CLI to print a line, or to exit once it has been told to. */
const CLI_MS = 25_000;
/** Deadline of one request or handshake. */
const STEP_MS = 10_000;
/** The line `run --inspect` and `inspect` print, capturing the page's address. */
const INSPECTOR_URL = /inspector {2}(http:\/\/127\.0\.0\.1:\d+\/\S*)/;
/** A run held in the parallel group (RESEARCH lasts an hour) until the test stops it. */
const HELD_RUN = 'default_ms: 1\nstages:\n  RESEARCH: { ms: 3600000 }\n';

/** The CLI as a user starts it, with `env` added to ours; `printed` waits for a line of its stdout. */
function startCli(args: readonly string[], cwd: string, env: Record<string, string> = {}) {
  const subprocess = execa('node', [cliPath, ...args], { cwd, env: { NO_COLOR: '1', TEAMBOT_INSPECT_ALLOW_STATELY: '', ...env }, reject: false, stdin: 'ignore' });
  let stdout = '';
  const waiters = new Set<() => void>();
  subprocess.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const waiter of waiters) waiter();
  });
  const exited = subprocess.then((result) => result);
  return {
    subprocess,
    stdout: () => stdout,
    /** The first capture of `pattern` (or the whole match); fails if the CLI exits first or the deadline passes. */
    printed: (pattern: RegExp, what: string) => within(new Promise<string>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(stdout);
        if (match) {
          waiters.delete(check);
          resolve(match[1] ?? match[0]);
        }
      };
      waiters.add(check);
      check();
      void exited.then((result) => reject(new Error(`the CLI exited (${result.exitCode}) before printing ${what}:\n${stdout}\n${result.stderr}`)));
    }), { deadlineMs: CLI_MS, what: `the CLI to print ${what}` }),
    exit: (what: string) => within(exited, { deadlineMs: CLI_MS, what }),
  };
}
type Cli = ReturnType<typeof startCli>;

const started: Cli[] = [];
function cli(args: readonly string[], cwd: string, env?: Record<string, string>): Cli {
  const child = startCli(args, cwd, env);
  started.push(child);
  return child;
}
/** Whatever a test left running is killed (a failed test leaves no run behind). */
async function killLeftovers(): Promise<void> {
  for (const child of started.splice(0)) {
    if (child.subprocess.exitCode === null) child.subprocess.kill('SIGKILL');
    await child.subprocess;
  }
}

/** A live run with its inspector, held in the parallel group. */
async function heldRun(env?: Record<string, string>) {
  const project = demoProject(HELD_RUN);
  const run = cli([...project.run, '--inspect'], project.cwd, env);
  const url = await run.printed(INSPECTOR_URL, "the inspector's address");
  await run.printed(/stage\.started\s+RESEARCH/, 'stage.started RESEARCH');
  return { run, url, ...inspectorAddress(url) };
}

/** Something only the run's own data holds: the feature's name, an event type. */
const RUN_DATA = /dark-mode-toggle|stage\.started|"id":"teambot"/;

describe('the live inspector (`teambot run --inspect`) refuses whoever lacks the token or comes from another origin', () => {
  let live: Awaited<ReturnType<typeof heldRun>>;
  beforeAll(async () => {
    live = await heldRun();
  }, 2 * CLI_MS + 5000);
  afterAll(killLeftovers, CLI_MS);

  it('answers HTTP requests without the token, or with a wrong one, with 403 and none of the run\'s data', async () => {
    const { port, prefix } = live;
    const token = prefix.split('/')[2]!;
    const wrongTokens = ['/', '/t/wrong/', `/t/${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}/`, `/t/${token}x/`, '/t//'];
    for (const base of wrongTokens) {
      for (const path of ['', 'index.html', 'api/events', 'api/run', 'api/graph', 'inspector.js', 'ws']) {
        const { status, body } = await httpGet(port, `${base}${path}`);
        expect(status, `GET ${base}${path}`).toBe(403);
        expect(body, `GET ${base}${path}`).not.toMatch(RUN_DATA);
      }
    }
    // The token is a path segment only: in a query it opens nothing.
    expect((await httpGet(port, `/api/events?token=${token}`)).status).toBe(403);
    // With it, the data is there.
    const events = await httpGet(port, `${prefix}api/events`);
    expect(events.status).toBe(200);
    expect(events.body).toMatch(/stage\.started/);
  }, 45 * STEP_MS);

  it('answers an HTTP request from a page of another origin with 403, token or not', async () => {
    const { port, prefix, origin } = live;
    expect((await httpGet(port, `${prefix}api/events`, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await httpGet(port, `${prefix}api/events`, { origin: 'https://stately.ai' })).status).toBe(403);
    expect((await httpGet(port, `${prefix}api/events`, { origin })).status).toBe(200);
  }, 4 * STEP_MS);

  it('refuses WebSocket clients without the token, with a wrong one, or from another origin even with the token; they receive nothing', async () => {
    const { port, prefix } = live;
    const refused = [
      { url: `ws://127.0.0.1:${port}/ws`, origin: undefined },
      { url: `ws://127.0.0.1:${port}/t/wrong/ws`, origin: undefined },
      { url: `ws://127.0.0.1:${port}${prefix}ws`, origin: 'https://evil.example' },
      { url: `ws://127.0.0.1:${port}${prefix}ws`, origin: 'null' },
      // The Stately inspector only when the user opts in (TEAMBOT_INSPECT_ALLOW_STATELY=1).
      { url: `ws://127.0.0.1:${port}${prefix}ws`, origin: 'https://stately.ai' },
    ];
    for (const { url, origin } of refused) {
      const client = wsClient(url, origin === undefined ? {} : { origin });
      expect(await client.outcome(STEP_MS), `${url} from ${origin ?? 'no origin'}`).toBe(403);
      expect(client.received).toEqual([]);
    }
    // A browser-less client with the token, and the page's own origin, are let in.
    for (const origin of [undefined, live.origin, `http://localhost:${port}`]) {
      const client = wsClient(`ws://127.0.0.1:${port}${prefix}ws`, origin === undefined ? {} : { origin });
      expect(await client.outcome(STEP_MS), `the token from ${origin ?? 'no origin'}`).toBe('open');
      client.socket.terminate();
    }
  }, 10 * STEP_MS);

  it('never passes a message one client sends (a fake run.completed) to another', async () => {
    const url = `ws://127.0.0.1:${live.port}${live.prefix}ws`;
    const attacker = wsClient(url);
    const page = wsClient(url, { origin: live.origin });
    expect(await attacker.outcome(STEP_MS)).toBe('open');
    expect(await page.outcome(STEP_MS)).toBe('open');
    const fake = { type: 'teambot.event', event: { ts: new Date().toISOString(), type: 'run.completed', status: 'complete', duration_ms: 1, note: 'forged by a client' } };
    attacker.socket.send(JSON.stringify(fake));
    // Once the server has answered the attacker's ping it has read the fake; anything it
    // relayed to the page would then reach the page before the pong to the page's own ping.
    await attacker.roundTrip(STEP_MS);
    await page.roundTrip(STEP_MS);
    expect(page.received.filter((message) => message.includes('forged by a client'))).toEqual([]);
    attacker.socket.terminate();
    page.socket.terminate();
  }, 6 * STEP_MS);

  it('closes the socket of a client that sends a message over 4 KiB, and serves the others on', async () => {
    const url = `ws://127.0.0.1:${live.port}${live.prefix}ws`;
    const client = wsClient(url);
    expect(await client.outcome(STEP_MS)).toBe('open');
    client.socket.send('x'.repeat(10_000));
    expect(await client.closed(STEP_MS)).toBe(1009);
    const next = wsClient(url);
    expect(await next.outcome(STEP_MS)).toBe('open');
    next.socket.terminate();
  }, 4 * STEP_MS);
});

describe('the Stately inspector, by opt-in only', () => {
  afterEach(killLeftovers, CLI_MS);

  it('with TEAMBOT_INSPECT_ALLOW_STATELY=1, https://stately.ai may connect to the WebSocket with the token, not without it', async () => {
    const { run, port, prefix } = await heldRun({ TEAMBOT_INSPECT_ALLOW_STATELY: '1' });
    expect(run.stdout()).toContain('https://stately.ai allowed');
    const stately = wsClient(`ws://127.0.0.1:${port}${prefix}ws`, { origin: 'https://stately.ai' });
    expect(await stately.outcome(STEP_MS)).toBe('open');
    const tokenless = wsClient(`ws://127.0.0.1:${port}/ws`, { origin: 'https://stately.ai' });
    expect(await tokenless.outcome(STEP_MS)).toBe(403);
    const evil = wsClient(`ws://127.0.0.1:${port}${prefix}ws`, { origin: 'https://evil.example' });
    expect(await evil.outcome(STEP_MS)).toBe(403);
    stately.socket.terminate();
  }, 2 * CLI_MS + 3 * STEP_MS + 5000);
});

describe('clients never keep teambot from exiting', () => {
  afterEach(killLeftovers, CLI_MS);

  it('a half-open HTTP request does not stop `teambot run --inspect --no-ui` from exiting and printing its summary', async () => {
    const { run, port, prefix } = await heldRun();
    const stalled = await halfOpenRequest(port, `${prefix}api/run`, STEP_MS);
    const page = wsClient(`ws://127.0.0.1:${port}${prefix}ws`);
    expect(await page.outcome(STEP_MS)).toBe('open');
    // Ctrl+C ends the run; the inspector closes as it does at any run's end.
    run.subprocess.kill('SIGINT');
    const result = await run.exit('the run to exit after SIGINT with a half-open request and a WebSocket open');
    expect(result.exitCode).toBe(130);
    expect(result.stdout).toMatch(/^ {2}events {5}\S*events\.jsonl$/m);
    stalled.destroy();
  }, 3 * CLI_MS + 2 * STEP_MS + 5000);

  it('a half-open HTTP request does not stop `teambot inspect` from exiting on Ctrl+C', async () => {
    const project = demoProject('default_ms: 1\n');
    expect((await cli(project.run, project.cwd).exit('the simulated run to finish')).exitCode).toBe(0);
    const inspect = cli(['inspect'], project.cwd);
    const { port, prefix } = inspectorAddress(await inspect.printed(INSPECTOR_URL, "the inspector's address"));
    const stalled = await halfOpenRequest(port, `${prefix}api/run`, STEP_MS);
    inspect.subprocess.kill('SIGINT');
    expect((await inspect.exit('`teambot inspect` to exit after SIGINT with a half-open request')).exitCode).toBe(0);
    stalled.destroy();
  }, 3 * CLI_MS + STEP_MS + 5000);
});

describe('`teambot inspect` streams the event log', () => {
  afterEach(killLeftovers, CLI_MS);

  it('serves a log with a line over 1 MB and many lines, whole and in order, every session of it', async () => {
    const project = demoProject('default_ms: 1\n');
    expect((await cli(project.run, project.cwd).exit('the simulated run to finish')).exitCode).toBe(0);
    const recorded = project.events();
    // An earlier run's events, a line cut short by a crash, then the real run with a
    // 2 MB output line and 50 000 short ones added before its end.
    const earlier = [{ ts: '2020-01-01T00:00:00.000Z', type: 'run.started', note: 'an earlier run' }];
    const big = { ts: recorded[1]!.ts, type: 'stage.output', stage: 'SETUP', line: `big ${'x'.repeat(2 << 20)}` };
    const many = Array.from({ length: 50_000 }, (_, index) => ({ ts: recorded[1]!.ts, type: 'stage.output', stage: 'SETUP', line: `line ${index}` }));
    const lines = [...earlier.map((event) => JSON.stringify(event)), '{"ts":"2020-01-01T00:00:01', ...recorded.slice(0, 2).map((event) => JSON.stringify(event)),
      JSON.stringify(big), ...many.map((event) => JSON.stringify(event)), ...recorded.slice(2).map((event) => JSON.stringify(event))];
    mkdirSync(project.featureDir, { recursive: true });
    writeFileSync(join(project.featureDir, 'events.jsonl'), `${lines.join('\n')}\n`);

    const inspect = cli(['inspect'], project.cwd);
    const url = await inspect.printed(INSPECTOR_URL, "the inspector's address");
    expect(inspect.stdout()).toContain(`(${1 + recorded.length + 1 + many.length} events in 2 sessions of dark-mode-toggle`);
    const { port, prefix } = inspectorAddress(url);
    const response = await httpGet(port, `${prefix}api/events`, {}, CLI_MS);
    expect(response.status).toBe(200);
    // The replay is every session: the earlier run's event first; the line cut short is left out.
    const served = JSON.parse(response.body) as { type: string; line?: string }[];
    expect(served).toHaveLength(1 + recorded.length + 1 + many.length);
    expect(served[0]).toEqual(earlier[0]);
    expect(served[1]).toEqual(recorded[0]);
    expect(served[3]!.line).toBe(big.line);
    expect(served[4 + many.length - 1]!.line).toBe('line 49999');
    expect(served.at(-1)).toEqual(recorded.at(-1));
    inspect.subprocess.kill('SIGINT');
    expect((await inspect.exit('`teambot inspect` to exit after SIGINT')).exitCode).toBe(0);
  }, 4 * CLI_MS + 5000);
});
