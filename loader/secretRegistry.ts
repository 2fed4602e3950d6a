/**
 * The values teambot must never show or store: whatever a `${NAME}` placeholder
 * in teambot.json expanded to (an API key in runner.argv, a model, an executable).
 * They are registered the moment they are expanded (envPlaceholders.ts) and
 * replaced by `***` wherever text leaves the process: the run's events (and so
 * every view, reporter and the inspector), the state file, the agents' output files.
 *
 * One registry per process, on purpose: a value expanded anywhere must be
 * hidden everywhere, without threading it through every caller.
 */

/** What a secret is replaced by. */
export const REDACTED = '***';

/**
 * Shorter values are not registered: `${DEBUG}` = `1` or `${ENV}` = `prod`
 * would turn every such word in every log into `***`, and a value this short
 * protects nothing anyway.
 */
export const MIN_SECRET_LENGTH = 6;

const secrets = new Set<string>();
/** Longest first, so a secret that contains another is replaced whole. */
let ordered: string[] = [];

/**
 * Remembers a value to hide from now on (ignored when shorter than MIN_SECRET_LENGTH).
 *
 * @example registerSecret(process.env.API_KEY!)
 */
export function registerSecret(value: string): void {
  if (value.length < MIN_SECRET_LENGTH || secrets.has(value)) return;
  secrets.add(value);
  ordered = [...secrets].sort((a, b) => b.length - a.length);
}

/**
 * The text with every registered secret replaced by `***`.
 *
 * @example redactSecrets('--api-key sk-123456') // '--api-key ***' once 'sk-123456' is registered
 */
export function redactSecrets(text: string): string {
  let result = text;
  for (const secret of ordered) {
    if (result.includes(secret)) result = result.replaceAll(secret, REDACTED);
  }
  return result;
}

/**
 * A copy of a JSON-like value (objects, arrays, strings, numbers…) with every
 * string, keys included, redacted; the value itself when nothing is registered.
 *
 * @example redactSecretsDeep({ error: 'bad key sk-123456' }) // { error: 'bad key ***' }
 */
export function redactSecretsDeep<T>(value: T): T {
  return ordered.length === 0 ? value : redactValue(value) as T;
}

function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [redactSecrets(key), redactValue(entry)]));
}

/** Tests only: forget every registered secret. */
export function forgetSecrets(): void {
  secrets.clear();
  ordered = [];
}
