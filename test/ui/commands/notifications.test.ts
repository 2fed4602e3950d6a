import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commands, createProject, featureDirectory } from '../../support/project.js';
import { fixturesDir, runCliInProcess } from '../../support/runCli.js';
import { startFakeServer } from '../../support/fakeHttpServer.js';

const TOKEN = '123456789:AAFakeTelegramTokenOnlyForTests';
const CHAT = '-1001234567890';
const env = { TEAMBOT_TELEGRAM_TOKEN: TOKEN, TEAMBOT_TELEGRAM_CHAT_ID: CHAT };
const fixture = readFileSync(join(fixturesDir, 'teambot-with-notifications.json'), 'utf8');

/** A TeamBot project whose teambot.json is the notifications fixture, its Telegram API at `apiUrl`. */
function projectWith(apiUrl: string, edit: (team: Record<string, any>) => void = () => {}, simulation = 'default_ms: 2\nstages:\n  SPEC_REVIEW:\n    verdicts: [reject, approve]\n') {
  const cwd = createProject(simulation);
  const team = JSON.parse(fixture.replace('http://127.0.0.1:9/telegram', apiUrl)) as Record<string, any>;
  edit(team);
  writeFileSync(join(cwd, 'teambot.json'), `${JSON.stringify(team, null, 2)}\n`);
  return cwd;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function fake(...args: Parameters<typeof startFakeServer>) {
  const server = await startFakeServer(...args);
  closers.push(server.close);
  return server;
}

/** Every file the run wrote, as text, with what it printed: where a secret must not appear. */
function everythingShown(cwd: string, result: { stdout: string; stderr: string }): string {
  const dir = join(cwd, featureDirectory);
  return [result.stdout, result.stderr, readFileSync(join(dir, 'events.jsonl'), 'utf8'), readFileSync(join(dir, 'orchestration_state.json'), 'utf8')].join('\n');
}

describe('Telegram notifications from a TeamBot teambot.json', () => {
  it('sends TeamBot\'s messages for the run, its groups and its reviews, in order, and never shows the token', async () => {
    const telegram = await fake();
    const cwd = projectWith(telegram.url);
    const result = await runCliInProcess(commands.run, { cwd, env });
    expect(result.exitCode).toBe(0);
    expect(telegram.requests.every((request) => request.method === 'POST' && request.path === `/bot${TOKEN}/sendMessage`)).toBe(true);
    const bodies = telegram.bodies();
    expect(bodies.every((body) => body.chat_id === CHAT && body.parse_mode === 'HTML' && body.disable_web_page_preview === true)).toBe(true);
    expect(bodies.map((body) => body.text)).toEqual([
      '🚀 <b>Starting</b>: Simple notification at end of pipeline',
      '📝 <b>Review Progress</b>\nStage: SPEC_REVIEW\nReview iteration 1/4: rejected',
      '📝 <b>Review Progress</b>\nStage: SPEC_REVIEW\nReview iteration 2/4: approved',
      '✅ <b>Parallel Group: post_spec_review</b>\nStatus: All passed',
      '📝 <b>Review Progress</b>\nStage: PLAN_REVIEW\nReview iteration 1/4: approved',
      '📝 <b>Review Progress</b>\nStage: IMPLEMENTATION_REVIEW\nReview iteration 1/4: approved',
      '📝 <b>Review Progress</b>\nStage: POST_REVIEW\nReview iteration 1/4: approved',
      expect.stringMatching(/^✅ <b>Completed<\/b>: Simple notification at end of pipeline\n⏱️ Duration: \d+m \d+s$/),
    ]);
    expect(result.stderr).not.toMatch(/notifications/);
    expect(everythingShown(cwd, result)).not.toContain(TOKEN);
  });

  it('a failed group and a failed run say so', async () => {
    const telegram = await fake();
    const cwd = projectWith(telegram.url, () => {}, 'default_ms: 2\nstages:\n  TEST_STRATEGY:\n    fail: no strategy\n');
    const result = await runCliInProcess(commands.run, { cwd, env });
    expect(result.exitCode).toBe(1);
    const texts = telegram.bodies().map((body) => body.text);
    expect(texts).toContain('⚠️ <b>Parallel Group: post_spec_review</b>\nStatus: Some failed');
    expect(texts.at(-1)).toMatch(/^❌ <b>Failed<\/b>: Simple notification at end of pipeline\n/);
  });

  it('a 429 with retry_after is retried after that long, then delivered', async () => {
    const telegram = await fake((_, index) => index === 0
      ? { status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } } }
      : { status: 200, body: { ok: true } });
    const cwd = projectWith(telegram.url, (team) => { team.notifications.channels[0].events = ['orchestration_started']; });
    const result = await runCliInProcess(commands.run, { cwd, env });
    expect(result.exitCode).toBe(0);
    expect(telegram.bodies().map((body) => body.text)).toEqual([
      '🚀 <b>Starting</b>: Simple notification at end of pipeline', '🚀 <b>Starting</b>: Simple notification at end of pipeline',
    ]);
    expect(result.stderr).not.toMatch(/notifications/);
  });

  it('a server that never answers: the run ends with its own exit code and a warning, the token unshown', async () => {
    const telegram = await fake(() => 'hang');
    const cwd = projectWith(telegram.url, (team) => { team.notifications.channels[0].events = ['orchestration_completed']; });
    const result = await runCliInProcess(commands.run, { cwd, env });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/^teambot: warning: notifications: channels\[0\] \(telegram\): 1 message\(s\) not delivered \(0 delivered\): 1 of 1 message\(s\) still unsent 5 s after the run ended: given up$/m);
    expect(everythingShown(cwd, result)).not.toContain(TOKEN);
  });

  it('a rejected request (HTTP 400) is a warning naming the API\'s description, not a failed run', async () => {
    const telegram = await fake(() => ({ status: 400, body: { ok: false, description: `Bad Request: chat not found for ${TOKEN}` } }));
    const cwd = projectWith(telegram.url, (team) => { team.notifications.channels[0].events = ['orchestration_started']; });
    const result = await runCliInProcess(commands.run, { cwd, env });
    expect(result.exitCode).toBe(0);
    expect(telegram.requests).toHaveLength(1);
    expect(result.stderr).toContain('orchestration_started: HTTP 400: Bad Request: chat not found for ***');
    expect(everythingShown(cwd, result)).not.toContain(TOKEN);
  });

  it('dry_run sends nothing and prints what it would have sent', async () => {
    const telegram = await fake();
    const cwd = projectWith(telegram.url, (team) => { team.notifications.channels[0].dry_run = true; });
    const result = await runCliInProcess(commands.run, { cwd, env });
    expect(result.exitCode).toBe(0);
    expect(telegram.requests).toHaveLength(0);
    expect(result.stderr).toContain('teambot: notifications: channels[0] (telegram) dry run, would send orchestration_started:\n  🚀 Starting: Simple notification at end of pipeline');
    expect(result.stderr).toContain('would send parallel_group_complete:\n  ✅ Parallel Group: post_spec_review\n  Status: All passed');
    expect(everythingShown(cwd, result)).not.toContain(TOKEN);
  });

  it('an unset token variable turns the channel off with a warning; the run goes on', async () => {
    const telegram = await fake();
    const cwd = projectWith(telegram.url);
    const result = await runCliInProcess(commands.run, { cwd, env: { TEAMBOT_TELEGRAM_TOKEN: '', TEAMBOT_TELEGRAM_CHAT_ID: CHAT } });
    expect(result.exitCode).toBe(0);
    expect(telegram.requests).toHaveLength(0);
    expect(result.stderr).toContain('teambot: notifications: channels[0] (telegram) is off: token uses ${TEAMBOT_TELEGRAM_TOKEN}, but the environment variable TEAMBOT_TELEGRAM_TOKEN is not set');
  });
});

describe('webhook and command channels', () => {
  it('a webhook gets the run event as JSON, a Slack webhook { text }, a command the event on stdin', async () => {
    const hooks = await fake();
    const secret = 'hook-secret-0123456789';
    const cwd = projectWith(hooks.url, (team) => {
      team.notifications.channels = [
        { type: 'webhook', url: `${hooks.url}/json/\${HOOK_SECRET}`, events: ['run.completed'], headers: { Authorization: 'Bearer ${HOOK_SECRET}' } },
        { type: 'webhook', url: `${hooks.url}/slack`, format: 'slack', events: ['parallel_group_complete'] },
        { type: 'command', argv: [process.execPath, '-e', 'require("fs").writeFileSync(process.argv[1], require("fs").readFileSync(0))', 'notified.json'], events: ['orchestration_started'] },
      ];
    });
    const result = await runCliInProcess(commands.run, { cwd, env: { HOOK_SECRET: secret } });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).not.toMatch(/notifications/);
    const json = hooks.requests.find((request) => request.path.startsWith('/json/'))!;
    expect(json.path).toBe(`/json/${secret}`);
    expect(json.headers.authorization).toBe(`Bearer ${secret}`);
    const body = JSON.parse(json.body) as { event: { type: string; status: string }; teambot_event: string; feature: string; text: string };
    expect(body).toMatchObject({ teambot_event: 'orchestration_completed', feature: 'simple-notification-end', event: { type: 'run.completed', status: 'complete' } });
    expect(body.text).toMatch(/^✅ Completed: Simple notification at end of pipeline\n⏱️ Duration: /);
    expect(JSON.parse(hooks.requests.find((request) => request.path === '/slack')!.body)).toEqual({ text: '✅ *Parallel Group: post_spec_review*\nStatus: All passed' });
    const stdin = JSON.parse(readFileSync(join(cwd, 'notified.json'), 'utf8')) as { event: { type: string }; text: string };
    expect(stdin).toMatchObject({ event: { type: 'run.started' }, teambot_event: 'orchestration_started', text: '🚀 Starting: Simple notification at end of pipeline' });
    expect(everythingShown(cwd, result)).not.toContain(secret);
  });

  it('a command that fails is a warning with its exit code', async () => {
    const cwd = projectWith('http://127.0.0.1:9', (team) => {
      team.notifications.channels = [{ type: 'command', argv: [process.execPath, '-e', 'console.error("no luck"); process.exit(3)'], events: ['run.started'] }];
    });
    const result = await runCliInProcess(commands.run, { cwd, env });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('channels[0] (command): 1 message(s) not delivered (0 delivered): orchestration_started: exited with code 3: no luck');
  });
});

describe('teambot notify test', () => {
  it('sends one sample message to every channel and reports each: exit 0', async () => {
    const telegram = await fake();
    const cwd = projectWith(telegram.url);
    const result = await runCliInProcess(['notify', 'test', '--config', 'teambot.json'], { cwd, env });
    expect(result).toMatchObject({ exitCode: 0, stdout: '✓ channels[0] (telegram): delivered\nall 1 channel(s) delivered the test message' });
    expect(telegram.bodies()).toEqual([{ chat_id: CHAT, text: '📢 teambot notify test: notifications from teambot reach this channel', parse_mode: 'HTML', disable_web_page_preview: true }]);
    expect(`${result.stdout}${result.stderr}`).not.toContain(TOKEN);
  });

  it('a channel that does not deliver: exit 1, with why', async () => {
    const telegram = await fake(() => ({ status: 401, body: { ok: false, description: 'Unauthorized' } }));
    const cwd = projectWith(telegram.url);
    const result = await runCliInProcess(['notify', 'test'], { cwd, env });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('✗ channels[0] (telegram): not delivered');
    expect(result.stderr).toContain('custom_message: HTTP 401: Unauthorized');
  });

  it('a misspelt key is a configuration error with its line and the right name: exit 2', async () => {
    const cwd = projectWith('http://127.0.0.1:9', (team) => {
      team.notifications.channels[0].chat_idd = team.notifications.channels[0].chat_id;
      delete team.notifications.channels[0].chat_id;
    });
    const result = await runCliInProcess(['notify', 'test'], { cwd, env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/teambot\.json:\d+/);
    expect(result.stderr).toContain('unknown field "chat_idd"');
    expect(result.stderr).toContain('chat_id');
  });

  it('no notifications block: exit 2, saying how to add one', async () => {
    const cwd = projectWith('http://127.0.0.1:9', (team) => { delete team.notifications; });
    const result = await runCliInProcess(['notify', 'test'], { cwd, env });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('teambot.json has no "notifications" block');
  });
});
