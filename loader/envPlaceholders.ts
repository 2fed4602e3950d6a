import { registerSecret } from './secretRegistry.js';

/** A `${NAME}` placeholder referred to a variable that is not set. */
export class MissingEnvironmentVariableError extends Error {
  constructor(readonly variable: string, readonly setting: string) {
    super(`${setting} uses \${${variable}}, but the environment variable ${variable} is not set`);
    this.name = 'MissingEnvironmentVariableError';
  }
}

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Expands `${NAME}` (and `${NAME:-default}`) at the moment a setting is used.
 * Configuration values keep their placeholders, so secrets are never written
 * back to files or state; and each value taken from the environment is
 * registered as a secret (secretRegistry.ts), so whatever shows or stores text
 * later (the events, the state file, error messages) prints `***` instead.
 * A `:-default` is written in teambot.json already, so it is not a secret.
 *
 * @example expandEnvPlaceholders('Bearer ${TOKEN}', { TOKEN: 'x' }, 'runner.argv[2]') // 'Bearer x'
 */
export function expandEnvPlaceholders(value: string, env: NodeJS.ProcessEnv, setting: string): string {
  return value.replace(PLACEHOLDER, (_, name: string, fallback: string | undefined) => {
    const resolved = env[name];
    if (resolved !== undefined && resolved !== '') {
      registerSecret(resolved);
      return resolved;
    }
    if (fallback !== undefined) return fallback;
    throw new MissingEnvironmentVariableError(name, setting);
  });
}
