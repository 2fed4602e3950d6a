import { htmlToPlain, htmlToSlack } from './notificationText.js';

/** One message ready to go: its TeamBot event name, its Telegram (HTML) text and the run event it is about. */
export interface OutgoingMessage {
  readonly name: string;
  readonly html: string;
  /** What a webhook (format json) or a command receives: the run event, its TeamBot name, the feature and the text. */
  readonly payload: Readonly<Record<string, unknown>>;
}

/** How one attempt went: delivered, or why not and whether trying again may help (and after how long). */
export type Attempt =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: string; readonly retry: boolean; readonly retryAfterSeconds?: number };

/** Sends one message once; `signal` aborts it when teambot stops waiting. */
export type SendOnce = (message: OutgoingMessage, signal: AbortSignal) => Promise<Attempt>;

/** TeamBot's request timeout. */
const REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_COMMAND_TIMEOUT_SECONDS = 30;

/**
 * Telegram's sendMessage, as TeamBot calls it: chat_id, text, parse_mode HTML,
 * no link previews. 200 is success; 429 says how long to wait
 * (parameters.retry_after, else 1 s); 5xx and network errors may be retried.
 * Errors never contain the URL, which holds the token.
 *
 * @example telegramSender({ apiUrl: 'https://api.telegram.org', token, chatId })
 */
export function telegramSender(settings: { apiUrl: string; token: string; chatId: string }): SendOnce {
  const url = `${settings.apiUrl.replace(/\/+$/, '')}/bot${settings.token}/sendMessage`;
  return async (message, signal) => {
    const body = { chat_id: settings.chatId, text: message.html, parse_mode: 'HTML', disable_web_page_preview: true };
    return postJson(url, body, {}, signal, async (response) => {
      const answer = await response.text().catch(() => '');
      const parsed = parseJson(answer) as { description?: unknown; parameters?: { retry_after?: unknown } } | undefined;
      if (response.status === 429) {
        const after = parsed?.parameters?.retry_after;
        return { ok: false, error: 'HTTP 429 (rate limited)', retry: true, retryAfterSeconds: typeof after === 'number' && after >= 0 ? after : 1 };
      }
      const description = typeof parsed?.description === 'string' ? parsed.description : answer.slice(0, 200);
      return { ok: false, error: `HTTP ${response.status}${description ? `: ${description}` : ''}`, retry: response.status >= 500 };
    });
  };
}

/**
 * A JSON POST of each message to any URL: the run event (format json), or
 * `{ text }` in Slack's mrkdwn (format slack; Teams and Mattermost incoming
 * webhooks take the same). 2xx is success; 429 honours Retry-After.
 */
export function webhookSender(settings: { url: string; format: 'json' | 'slack'; headers: Readonly<Record<string, string>> }): SendOnce {
  return async (message, signal) => {
    const body = settings.format === 'slack' ? { text: htmlToSlack(message.html) } : message.payload;
    return postJson(settings.url, body, settings.headers, signal, async (response) => {
      const answer = (await response.text().catch(() => '')).slice(0, 200);
      const after = Number(response.headers.get('retry-after'));
      return {
        ok: false, error: `HTTP ${response.status}${answer ? `: ${answer}` : ''}`, retry: response.status === 429 || response.status >= 500,
        ...(response.status === 429 ? { retryAfterSeconds: Number.isFinite(after) && after >= 0 ? after : 1 } : {}),
      };
    });
  };
}

/**
 * Runs a program (argv, no shell) with the message's payload as JSON on its
 * stdin; exit 0 is success. Not retried: a command that failed once is
 * assumed to fail again. Killed after its timeout, or when teambot stops waiting.
 */
export function commandSender(settings: { argv: readonly string[]; timeoutSeconds?: number | undefined; cwd: string }): SendOnce {
  const [file, ...args] = settings.argv;
  return async (message, signal) => {
    // Loaded when a command is run: most runs never spawn one (issue 17, start-up).
    const { execa } = await import('execa');
    const result = await execa(file!, args, {
      input: `${JSON.stringify({ ...message.payload, text: htmlToPlain(message.html) })}\n`,
      cwd: settings.cwd, reject: false, stdout: 'ignore', stderr: 'pipe', cancelSignal: signal,
      timeout: (settings.timeoutSeconds ?? DEFAULT_COMMAND_TIMEOUT_SECONDS) * 1000, forceKillAfterDelay: 2000,
    });
    if (!result.failed) return { ok: true };
    const lastLine = String(result.stderr ?? '').trim().split('\n').at(-1) ?? '';
    const why = result.timedOut ? 'timed out'
      : result.isCanceled ? 'stopped'
        : result.exitCode !== undefined ? `exited with code ${result.exitCode}` : `could not start (${(result as { code?: string }).code ?? 'error'})`;
    return { ok: false, error: `${why}${lastLine ? `: ${lastLine.slice(0, 200)}` : ''}`, retry: false };
  };
}

async function postJson(
  url: string, body: unknown, headers: Readonly<Record<string, string>>, signal: AbortSignal,
  onFailure: (response: Response) => Promise<Attempt>,
): Promise<Attempt> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body),
      signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    });
  } catch (error) {
    return { ok: false, error: networkError(error), retry: !signal.aborted };
  }
  if (response.ok) {
    await response.body?.cancel().catch(() => {});
    return { ok: true };
  }
  return onFailure(response);
}

/** A failed request named by its kind and code (ECONNREFUSED, TimeoutError), never by its message, which may quote the URL. */
function networkError(error: unknown): string {
  if (!(error instanceof Error)) return 'network error';
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  return `network error (${code ?? error.name})`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
