import { afterEach, describe, expect, it } from 'vitest';
import { expandEnvPlaceholders } from '../../loader/envPlaceholders.js';
import { forgetSecrets, redactSecrets, redactSecretsDeep, registerSecret } from '../../loader/secretRegistry.js';

afterEach(forgetSecrets);

describe('the secret registry', () => {
  it('registers what ${ENV} expands to, and not a :-default written in the file', () => {
    expandEnvPlaceholders('--key=${KEY} --model=${MODEL:-gpt-5-default}', { KEY: 'sk-live-123456' }, 'runner.argv[1]');
    expect(redactSecrets('the key sk-live-123456 and gpt-5-default')).toBe('the key *** and gpt-5-default');
  });

  it('ignores values shorter than 6 characters, which would hide ordinary words', () => {
    registerSecret('prod');
    expect(redactSecrets('prod build')).toBe('prod build');
  });

  it('replaces a secret containing another whole', () => {
    registerSecret('abcdef');
    registerSecret('abcdef-123456');
    expect(redactSecrets('x abcdef-123456 y abcdef')).toBe('x *** y ***');
  });

  it('redacts every string of a JSON value, and returns it untouched when nothing is registered', () => {
    const value = { error: 'sk-live-123456 refused', list: ['sk-live-123456', 3], nested: { ok: true } };
    expect(redactSecretsDeep(value)).toBe(value);
    registerSecret('sk-live-123456');
    expect(redactSecretsDeep(value)).toEqual({ error: '*** refused', list: ['***', 3], nested: { ok: true } });
  });
});
