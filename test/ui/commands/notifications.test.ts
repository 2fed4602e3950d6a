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

describe('Telegram notifications from a TeamBot teambot.json', () => {
  it('sends TeamBot\'s messages for the run, its groups and its reviews, in order', async () => {
    const telegram = await fake();
    const cwd = projectWith(telegram.url);
    const result = await runCliInProcess(commands.run, { cwd, env });
    expect(result.exitCode).toBe(0);
    console.log(result.stderr);
    console.log(JSON.stringify(telegram.bodies(), null, 1));
  });
});
