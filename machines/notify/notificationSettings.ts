import { readFileSync } from 'node:fs';
import { parseJsonSource } from '../../loader/jsonSource.js';
import { notificationsSchema, type NotificationsConfig, type TeambotConfig } from '../../loader/teambotConfigSchema.js';

/**
 * The validated `notifications` block of a loaded teambot.json. The loader
 * validates the block with the rest of the file; when its result does not
 * carry the block, it is read again from the file (`config.source`), which
 * the loader has just accepted.
 *
 * @example notificationSettingsOf(configuration.teambot) // { enabled: true, channels: [{ type: 'telegram', … }] }
 */
export function notificationSettingsOf(config: TeambotConfig): NotificationsConfig | undefined {
  if (config.notifications) return config.notifications;
  if (config.source === 'built-in') return undefined;
  let block: unknown;
  try {
    block = (parseJsonSource(config.source, readFileSync(config.source, 'utf8')).value as { notifications?: unknown } | undefined)?.notifications;
  } catch {
    return undefined;
  }
  if (block === undefined) return undefined;
  const parsed = notificationsSchema.safeParse(block);
  return parsed.success ? parsed.data : undefined;
}
