import { expandEnvPlaceholders, MissingEnvironmentVariableError } from '../../loader/envPlaceholders.js';
import { redactSecrets, redactSecretsDeep } from '../../loader/secretRegistry.js';
import type { NotificationChannelConfig, NotificationsConfig } from '../../loader/teambotConfigSchema.js';
import type { RunEvent } from '../session/runEvents.js';
import type { RunSink } from '../session/runSink.js';
import { commandSender, telegramSender, webhookSender, type OutgoingMessage, type SendOnce } from './channels.js';
import {
  DEFAULT_TEMPLATES, FALLBACK_TEMPLATE, htmlToPlain, notificationContext, notificationOf, renderNotification,
  type Notification, type NotificationContext,
} from './notificationText.js';

/** How long the end of a run waits for messages still being sent (TeamBot: 5 s). */
export const END_OF_RUN_WAIT_MS = 5000;
/** Attempts per message, the first included (TeamBot: 3). */
const MAX_ATTEMPTS = 3;
/** Backoff before the 2nd and 3rd attempt when the server names no wait: 1 s, then 2 s. */
const BACKOFF_MS = 1000;
/** A rate limit asking for longer than this is not waited for. */
const MAX_RETRY_AFTER_SECONDS = 60;

const TELEGRAM_API = 'https://api.telegram.org';
/** TeamBot's fallbacks when `token` / `chat_id` hold no `${VAR}`. */
const TOKEN_VARIABLE = 'TEAMBOT_TELEGRAM_TOKEN';
const CHAT_VARIABLE = 'TEAMBOT_TELEGRAM_CHAT_ID';

/** The notifiers of a run: one sink per enabled channel, and what they have to say once it has ended. */
export interface Notifiers {
  readonly sinks: readonly RunSink[];
  /** Lines for stderr: channels left out, dry-run messages, delivery failures; secrets hidden. */
  report(): string[];
  /** Every channel's name, with whether it is sending for real. */
  readonly channels: readonly ChannelSink[];
}

export interface NotifierOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The objective's title, TeamBot's objective_name. */
  readonly objectiveName: string;
  /** Where command channels run. */
  readonly cwd: string;
  /** Default END_OF_RUN_WAIT_MS. */
  readonly endWaitMs?: number;
}

/** A channel as a run sink: it turns events into messages and sends them in order, in the background. */
export interface ChannelSink extends RunSink {
  readonly label: string;
  /** Queues a message; resolves when it was delivered or given up. */
  send(message: OutgoingMessage): Promise<boolean>;
  /** Waits up to `ms` for what is queued; aborts the rest. */
  settle(ms: number): Promise<void>;
  report(): string[];
}

/**
 * The sinks that notify the configured channels of a run's events. A channel
 * whose `${VAR}` is unset is left out with a warning (TeamBot drops its
 * messages silently); nothing here ever fails or delays the run: messages go
 * out in the background, and `onRunEnd` waits at most `endWaitMs`.
 *
 * @example
 * const notifiers = createNotifiers(config.notifications, { env: process.env, objectiveName: 'Dark mode', cwd });
 * startRun({ ...options, sinks: [...sinks, ...notifiers.sinks] });
 */
export function createNotifiers(settings: NotificationsConfig | undefined, options: NotifierOptions): Notifiers {
  const setup: string[] = [];
  const channels: ChannelSink[] = [];
  if (settings?.enabled) {
    settings.channels.forEach((channel, index) => {
      const label = `channels[${index}] (${channel.type})`;
      try {
        channels.push(channelSink(label, channel, senderFor(channel, options), options));
      } catch (error) {
        if (!(error instanceof MissingEnvironmentVariableError)) throw error;
        setup.push(`notifications: ${label} is off: ${error.message}`);
      }
    });
  }
  return {
    sinks: channels,
    channels,
    report: () => [...setup, ...channels.flatMap((channel) => channel.report())].map(redactSecrets),
  };
}

/** The sender of a channel, its `${VAR}`s expanded now (and so registered as secrets); dry runs need none. */
function senderFor(channel: NotificationChannelConfig, options: NotifierOptions): SendOnce | undefined {
  const env = options.env as NodeJS.ProcessEnv;
  const expand = (value: string, setting: string) => expandEnvPlaceholders(value, env, setting);
  if (channel.type === 'telegram') {
    const secret = (value: string | undefined, fallback: string, setting: string) => {
      // TeamBot takes only the variable's name; a literal is ignored, in favour of its fallback variable.
      const name = /\$\{([A-Z_][A-Z0-9_]*)\}/.exec(value ?? '')?.[1] ?? fallback;
      try {
        return expand(`\${${name}}`, setting);
      } catch (error) {
        if (channel.dry_run) return undefined;
        throw error;
      }
    };
    const token = secret(channel.token, TOKEN_VARIABLE, 'token');
    const chatId = secret(channel.chat_id, CHAT_VARIABLE, 'chat_id');
    if (channel.dry_run || token === undefined || chatId === undefined) return undefined;
    return telegramSender({ apiUrl: expand(channel.api_url ?? TELEGRAM_API, 'api_url'), token, chatId });
  }
  if (channel.dry_run) return undefined;
  if (channel.type === 'webhook') {
    const headers = Object.fromEntries(Object.entries(channel.headers ?? {}).map(([key, value]) => [key, expand(value, `headers.${key}`)]));
    return webhookSender({ url: expand(channel.url!, 'url'), format: channel.format ?? 'json', headers });
  }
  return commandSender({ argv: channel.argv!.map((part, index) => expand(part, `argv[${index}]`)), timeoutSeconds: channel.timeout_seconds, cwd: options.cwd });
}

function channelSink(label: string, channel: NotificationChannelConfig, send: SendOnce | undefined, options: NotifierOptions): ChannelSink {
  const context: NotificationContext = notificationContext(options.objectiveName);
  const wanted = new Set<string>(channel.events ?? []);
  const stop = new AbortController();
  const dryRun: string[] = [];
  const failures: string[] = [];
  let sent = 0;
  let pending = 0;
  let queue: Promise<unknown> = Promise.resolve();

  const deliver = async (message: OutgoingMessage): Promise<boolean> => {
    if (!send) {
      dryRun.push(`notifications: ${label} dry run, would send ${message.name}:`, ...htmlToPlain(message.html).split('\n').map((line) => `  ${line}`));
      return true;
    }
    for (let attempt = 1; ; attempt++) {
      if (stop.signal.aborted) return false;
      const result = await send(message, stop.signal);
      if (result.ok) {
        sent++;
        return true;
      }
      const waitSeconds = result.retryAfterSeconds !== undefined && result.retryAfterSeconds > 0
        ? result.retryAfterSeconds : (BACKOFF_MS / 1000) * 2 ** (attempt - 1);
      if (!result.retry || attempt >= MAX_ATTEMPTS || waitSeconds > MAX_RETRY_AFTER_SECONDS || stop.signal.aborted) {
        if (!stop.signal.aborted) failures.push(`${message.name}: ${result.error}${attempt > 1 ? ` (after ${attempt} attempts)` : ''}`);
        return false;
      }
      await sleep(waitSeconds * 1000, stop.signal);
    }
  };

  const sink: ChannelSink = {
    label,
    send(message) {
      pending++;
      const done = queue.then(() => deliver(message)).finally(() => {
        pending--;
      });
      queue = done.catch(() => false);
      return done.catch((error: unknown) => {
        failures.push(`${message.name}: ${error instanceof Error ? error.name : 'error'}`);
        return false;
      });
    },
    onEvent(event) {
      const notification = notificationOf(event, context);
      if (!notification || !selected(notification, wanted)) return;
      void sink.send(outgoing(notification, channel, context));
    },
    async onRunEnd() {
      await sink.settle(options.endWaitMs ?? END_OF_RUN_WAIT_MS);
    },
    async settle(ms) {
      const waited = pending;
      const bound = new AbortController();
      const gaveUp = await Promise.race([queue.then(() => false), sleep(ms, bound.signal).then(() => !bound.signal.aborted)]);
      bound.abort();
      if (!gaveUp) return;
      const left = pending;
      stop.abort();
      failures.push(`${left} of ${waited} message(s) still unsent ${ms / 1000} s after the run ended: given up`);
    },
    report() {
      const delivered = failures.length === 0 ? [] : [
        `warning: notifications: ${label}: ${failures.length} message(s) not delivered (${sent} delivered): ${failures.slice(0, 3).join('; ')}${failures.length > 3 ? '; …' : ''}`,
      ];
      return [...dryRun, ...delivered];
    },
  };
  return sink;
}

/**
 * The message `teambot notify test` sends: TeamBot's custom_message template.
 *
 * @example sampleMessage('2026-01-01T00:00:00.000Z').html // '📢 teambot notify test: …'
 */
export function sampleMessage(ts: string): OutgoingMessage {
  const text = 'teambot notify test: notifications from teambot reach this channel';
  const html = renderNotification(DEFAULT_TEMPLATES.custom_message!, 'custom_message', { message: text }, 'Unknown');
  return { name: 'custom_message', html, payload: { event: { ts, type: 'notify.test', message: text }, teambot_event: 'custom_message', text } };
}

/** Absent or empty `events`: every event; else the event's TeamBot name or one of its aliases must be listed. */
function selected(notification: Notification, wanted: ReadonlySet<string>): boolean {
  return wanted.size === 0 || wanted.has(notification.name) || notification.aliases.some((name) => wanted.has(name));
}

function outgoing(notification: Notification, channel: NotificationChannelConfig, context: NotificationContext): OutgoingMessage {
  const template = channel.templates?.[notification.name] ?? DEFAULT_TEMPLATES[notification.name] ?? FALLBACK_TEMPLATE;
  const html = renderNotification(template, notification.name, notification.data, context.feature);
  return {
    name: notification.name,
    html,
    payload: redactSecretsDeep({ event: notification.event as RunEvent, teambot_event: notification.name, feature: context.feature, text: htmlToPlain(html) }),
  };
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
