import { join } from 'node:path';
import * as util from 'node:util';
import { readInputFile } from './readInputFile.js';
import { registerSecret } from './secretRegistry.js';

/** The file TeamBot loads at start, where users keep `GITHUB_TOKEN` and API keys. */
export const ENV_FILE_NAME = '.env';

/** A .env file is a few lines; more than this is not one. */
const MAX_ENV_FILE_BYTES = 1024 * 1024;

/**
 * Names whose values are credentials: registered as secrets (secretRegistry.ts) so an agent
 * that prints one does not get it into events.jsonl or the terminal. Other values
 * (`NODE_ENV=production`) are not, or every "production" in every log would read `***`.
 */
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|API_?KEY|PRIVATE|AUTH|(?:^|_)(?:KEY|PAT)$/i;

/** What loading the project's .env gave. */
export interface EnvFileLoad {
  /** The environment with the file's variables added: a variable already set keeps its value. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The names taken from the file (never their values). */
  readonly loaded: readonly string[];
  /** Why the file exists but was not loaded (a directory, unreadable, too large). */
  readonly problem?: string | undefined;
}

/**
 * Adds `<projectRoot>/.env` to an environment, as TeamBot does at start: variables already set
 * win over the file, nothing is printed, and values whose names look like credentials are
 * registered as secrets. No file, no change.
 *
 * @example await loadEnvFile('/repo', { PATH: '/bin' }) // { env: { GITHUB_TOKEN: 'ghp_…', PATH: '/bin' }, loaded: ['GITHUB_TOKEN'] }
 */
export async function loadEnvFile(projectRoot: string, env: Readonly<Record<string, string | undefined>>): Promise<EnvFileLoad> {
  const read = await readInputFile(join(projectRoot, ENV_FILE_NAME), MAX_ENV_FILE_BYTES);
  if (read.kind === 'missing') return { env, loaded: [] };
  if (read.kind !== 'read') return { env, loaded: [], problem: read.kind === 'unreadable' ? `cannot read it (${read.code})` : `it is ${read.kind === 'directory' ? 'a directory' : read.what}` };
  if (read.tooLarge) return { env, loaded: [], problem: `it is larger than ${MAX_ENV_FILE_BYTES / 1024} KiB` };

  const values = parseEnvText(read.bytes.toString('utf8'));
  const loaded = Object.keys(values).filter((name) => env[name] === undefined);
  for (const name of loaded) if (SECRET_NAME.test(name)) registerSecret(values[name]!);
  return { env: { ...Object.fromEntries(loaded.map((name) => [name, values[name]])), ...env }, loaded };
}

type ParseEnv = (text: string) => Record<string, string | undefined>;
/** Node 20.12+ parses .env files itself; `engines` allows Node 20.0, which does not. */
const nodeParseEnv = (util as { parseEnv?: ParseEnv }).parseEnv;

/**
 * The variables a .env text sets, parsed by Node's own `util.parseEnv` when it has one.
 *
 * @example parseEnvText('# token\nexport GITHUB_TOKEN="ghp_x"\n') // { GITHUB_TOKEN: 'ghp_x' }
 */
export function parseEnvText(text: string): Record<string, string> {
  const parsed = nodeParseEnv ? nodeParseEnv(text) : parseDotEnv(text);
  return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

const ASSIGNMENT = /^[ \t]*(?:export[ \t]+)?([\w.-]+)[ \t]*=[ \t]*("(?:\\[\s\S]|[^"\\])*"|'[^']*'|`[^`]*`|[^\n#]*)[ \t]*(?:#.*)?$/gm;

/**
 * The .env syntax Node's `util.parseEnv` reads, for Node versions without it: `NAME=value`
 * lines, `export ` allowed, `#` comments, values in `"…"` (where `\n` is a newline), `'…'` or
 * `` `…` `` kept as written and spanning lines; unquoted values trimmed. Later lines win.
 *
 * @example parseDotEnv('A=1 # one\nB="x\\ny"') // { A: '1', B: 'x\ny' }
 */
export function parseDotEnv(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const match of text.replace(/\r\n?/g, '\n').matchAll(ASSIGNMENT)) {
    const raw = match[2]!.trim();
    const quote = raw[0];
    if (raw.length >= 2 && (quote === '"' || quote === '\'' || quote === '`') && raw.endsWith(quote)) {
      const inner = raw.slice(1, -1);
      values[match[1]!] = quote === '"' ? inner.replace(/\\n/g, '\n') : inner;
    } else {
      values[match[1]!] = raw;
    }
  }
  return values;
}
