import { resolve } from 'node:path';
import { InputError, wholeFileIssue } from '../../loader/inputIssue.js';
import { parseJsonSource } from '../../loader/jsonSource.js';
import { notAFileIssue, readInputFile } from '../../loader/readInputFile.js';
import { shownPath } from '../../loader/shownPath.js';
import { decodeUtf8, MAX_TEXT_BYTES, tooLargeIssue } from '../../loader/sourceDocument.js';
import { notificationsSchema } from '../../loader/teambotConfigSchema.js';
import { validateTeambotConfig } from '../../loader/validateTeambotConfig.js';
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
  const path = options.config ? resolve(options.cwd, options.config) : resolve(options.projectRoot, 'teambot.json');
  const shown = shownPath(options.cwd, path);
  const value = await readTeambotJson(path, shown, options.projectRoot);
  const block = (value as { notifications?: unknown }).notifications;
  const settings = block === undefined ? undefined : notificationsSchema.parse(block);
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

/** teambot.json read and validated as `run` does: every problem is an InputError (exit 2). */
async function readTeambotJson(path: string, shown: string, projectRoot: string): Promise<unknown> {
  const read = await readInputFile(path, MAX_TEXT_BYTES);
  if (read.kind === 'missing') {
    throw new InputError([wholeFileIssue({ file: shown, rule: 'missing-file', message: 'no such file', fix: 'pass teambot.json with --config, or run `teambot init`' })]);
  }
  if (read.kind !== 'read') throw new InputError([notAFileIssue(shown, read.kind === 'not-a-file' ? read.what : read.kind, 'name teambot.json itself')]);
  if (read.tooLarge) throw new InputError([tooLargeIssue(shown)]);
  const decoded = decodeUtf8(shown, read.bytes);
  if ('issue' in decoded) throw new InputError([decoded.issue]);
  const document = parseJsonSource(shown, decoded.text);
  const { config, issues } = validateTeambotConfig(document, { source: path, projectRoot });
  if (!config) throw new InputError(issues);
  return document.value;
}
