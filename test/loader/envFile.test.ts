import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEnvFile, parseDotEnv, parseEnvText } from '../../loader/envFile.js';
import { forgetSecrets, redactSecrets } from '../../loader/secretRegistry.js';
import { temporaryDirectory } from '../support/runCli.js';

const text = [
  '# a comment',
  '',
  'PLAIN=value',
  'export EXPORTED=yes',
  'SPACED = around  ',
  'COMMENTED=kept # dropped',
  'DOUBLE="a b # not a comment"',
  'NEWLINE="line1\\nline2"',
  "SINGLE='as \\n written'",
  'EMPTY=',
  'LATER=first',
  'LATER=second',
].join('\n');

const expected = {
  PLAIN: 'value', EXPORTED: 'yes', SPACED: 'around', COMMENTED: 'kept', DOUBLE: 'a b # not a comment',
  NEWLINE: 'line1\nline2', SINGLE: 'as \\n written', EMPTY: '', LATER: 'second',
};

describe('.env parsing', () => {
  it('the fallback parser (Node < 20.12) reads what util.parseEnv reads', () => {
    expect(parseDotEnv(text)).toEqual(expected);
    expect(parseEnvText(text)).toEqual(expected);
    expect(parseDotEnv('A=1\r\nB=2\r\n')).toEqual({ A: '1', B: '2' });
    expect(parseDotEnv('not an assignment\nA=1')).toEqual({ A: '1' });
  });
});

describe('loadEnvFile', () => {
  afterEach(() => forgetSecrets());

  it('adds unset variables only, names them, and hides credentials but not ordinary values', async () => {
    const root = temporaryDirectory();
    writeFileSync(join(root, '.env'), 'GITHUB_TOKEN=ghp_secret123\nNODE_ENV=production\nSET=from-file\n');
    const load = await loadEnvFile(root, { SET: 'from-shell' });
    expect(load.env).toEqual({ GITHUB_TOKEN: 'ghp_secret123', NODE_ENV: 'production', SET: 'from-shell' });
    expect(load.loaded).toEqual(['GITHUB_TOKEN', 'NODE_ENV']);
    expect(redactSecrets('token ghp_secret123 in production')).toBe('token *** in production');
  });

  it('no .env: the environment as it was', async () => {
    const env = { A: '1' };
    expect(await loadEnvFile(temporaryDirectory(), env)).toEqual({ env, loaded: [] });
  });
});
