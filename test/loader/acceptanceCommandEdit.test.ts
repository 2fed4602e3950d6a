import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { withAcceptanceTestCommand } from '../../loader/acceptanceCommandEdit.js';

const builtin = readFileSync(new URL('../../config/stages.yaml', import.meta.url), 'utf8');
type Stages = { stages: Record<string, Record<string, unknown>> };

describe('withAcceptanceTestCommand', () => {
  it('fills the built-in file\'s commented-out line and changes nothing else', () => {
    const edit = withAcceptanceTestCommand(builtin, ['npm', 'test'], 'found in package.json')!;
    expect(edit.stage).toBe('ACCEPTANCE_TEST');
    const before = parse(builtin) as Stages;
    const after = parse(edit.text) as Stages;
    expect(after.stages.ACCEPTANCE_TEST!.acceptance_test_command).toEqual(['npm', 'test']);
    delete after.stages.ACCEPTANCE_TEST!.acceptance_test_command;
    expect(after).toEqual(before);
    expect(edit.text.split('\n').filter((line) => !builtin.includes(line))).toEqual([
      '    acceptance_test_command: [npm, test]   # found in package.json; teambot runs this argv (no shell) to decide the results',
    ]);
  });

  it('adds a line after is_acceptance_test_stage when there is no commented-out one', () => {
    const text = 'stages:\n  CHECK:\n    work_agent: builder\n    is_acceptance_test_stage: true   # the one\n    optional: false\n';
    expect(withAcceptanceTestCommand(text, ['make', 'test'], 'from Makefile')?.text).toBe(
      'stages:\n  CHECK:\n    work_agent: builder\n    is_acceptance_test_stage: true   # the one\n'
      + '    acceptance_test_command: [make, test]   # from Makefile; teambot runs this argv (no shell) to decide the results\n'
      + '    optional: false\n',
    );
  });

  it('quotes arguments YAML would read as something else', () => {
    const text = withAcceptanceTestCommand(builtin, ['go', 'test', './...', 'true', '-run=X,Y'], 'x')!.text;
    expect((parse(text) as Stages).stages.ACCEPTANCE_TEST!.acceptance_test_command).toEqual(['go', 'test', './...', 'true', '-run=X,Y']);
  });

  it.each([
    ['the stage already has a command', builtin.replace('    # acceptance_test_command: [npm, test]', '    acceptance_test_command: [pytest]')],
    ['there is no acceptance-test stage', builtin.replace('    is_acceptance_test_stage: true\n', '')],
    ['the file is not a stages file', '- a list\n'],
  ])('leaves the file alone when %s', (_name, text) => {
    expect(withAcceptanceTestCommand(text, ['npm', 'test'], 'x')).toBeUndefined();
  });
});
