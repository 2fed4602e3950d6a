import { describe, expect, it } from 'vitest';
import { chooseRunDisplay, isCi } from '../../../ui/commands/runDisplay.js';

describe('chooseRunDisplay', () => {
  it('is live in a terminal outside CI, where CI=false, CI=0 and an empty CI count as not CI', () => {
    for (const env of [{}, { CI: 'false' }, { CI: '0' }, { CI: '' }, { CI: 'FALSE' }]) {
      expect(chooseRunDisplay({ ui: true, stdoutIsTty: true, env }), JSON.stringify(env)).toBe('live');
    }
  });

  it('prints lines in CI, when stdout is not a terminal, or with --no-ui', () => {
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({ CI: '1' })).toBe(true);
    expect(chooseRunDisplay({ ui: true, stdoutIsTty: true, env: { CI: 'true' } })).toBe('lines');
    expect(chooseRunDisplay({ ui: true, stdoutIsTty: false, env: {} })).toBe('lines');
    expect(chooseRunDisplay({ ui: false, stdoutIsTty: true, env: {} })).toBe('lines');
  });
});
