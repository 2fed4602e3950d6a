import { InputError, wholeFileIssue } from '../../loader/inputIssue.js';
import { loadConfiguration } from '../../loader/loadConfiguration.js';
import { shownPath } from '../../loader/shownPath.js';
import { createNotifiers, sampleMessage } from '../../machines/notify/notifiers.js';
import type { CommandIo } from '../commandIo.js';
import { ExitCode } from '../exitCodes.js';
import { terminalLine } from '../text/terminalText.js';

/** How long `notify test` waits for each channel (rate limits and retries included). */
const TEST_WAIT_MS = 20_000;

/**
 * `teambot notify test`: sends one sample message to every channel of
 * teambot.json's `notifications` and says, per channel, whether it arrived.
 * Exit 0 when every channel delivered it, 1 when one did not, 2 when the
 * configuration is invalid or configures no channel.
 */
export async function notifyTestCommand(
  options: { cwd: string; projectRoot: string; config?: string | undefined },
  io: CommandIo,
): Promise<number> {
  // Read and validated exactly as `run` reads it (every problem is an InputError, exit 2).
  const { teambot } = await loadConfiguration({ cwd: options.cwd, projectRoot: options.projectRoot, env: io.env, configPath: options.config });
  const shown = teambot.source === 'built-in' ? 'teambot.json' : shownPath(options.cwd, teambot.source);
  const settings = teambot.notifications;
  if (!settings?.enabled || settings.channels.length === 0) {
    throw new InputError([wholeFileIssue({
      file: shown, rule: 'no-notification-channels',
      message: !settings ? 'teambot.json has no "notifications" block' : !settings.enabled ? 'notifications are disabled ("enabled": false)' : 'notifications has no channels',
      fix: 'add "notifications": { "channels": [{ "type": "telegram", "token": "${TEAMBOT_TELEGRAM_TOKEN}", "chat_id": "${TEAMBOT_TELEGRAM_CHAT_ID}" }] }',
    })]);
  }

  const notifiers = createNotifiers(settings, { env: io.env, objectiveName: 'teambot notify test', cwd: options.cwd });
  const sample = sampleMessage(new Date().toISOString());
  const results = await Promise.all(notifiers.channels.map(async (channel) => {
    const delivered = channel.send(sample);
    await channel.settle(TEST_WAIT_MS);
    return { label: channel.label, delivered: await delivered };
  }));
  const write = (line: string) => io.stdout.write(`${terminalLine(line)}\n`);
  for (const { label, delivered } of results) write(`${delivered ? '✓' : '✗'} ${label}: ${delivered ? 'delivered' : 'not delivered'}`);
  const report = notifiers.report();
  for (const line of report) io.stderr.write(`${line.startsWith(' ') ? '' : 'teambot: '}${terminalLine(line)}\n`);
  const failed = settings.channels.length - results.filter((result) => result.delivered).length;
  write(failed === 0
    ? `all ${settings.channels.length} channel(s) delivered the test message`
    : `${failed} of ${settings.channels.length} channel(s) did not deliver the test message`);
  return failed === 0 ? ExitCode.ok : ExitCode.unsuccessful;
}
