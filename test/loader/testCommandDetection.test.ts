import { describe, expect, it } from 'vitest';
import { detectTestCommand } from '../../loader/testCommandDetection.js';

const npmDefault = JSON.stringify({ name: 'x', scripts: { test: 'echo "Error: no test specified" && exit 1' } });

describe('detectTestCommand', () => {
  it('finds npm test from a real test script', () => {
    expect(detectTestCommand({ 'package.json': JSON.stringify({ scripts: { test: 'vitest run' } }) }))
      .toEqual({ argv: ['npm', 'test'], source: 'package.json' });
  });

  it.each([
    ['npm init\'s placeholder script', npmDefault],
    ['no scripts', '{"name":"x"}'],
    ['an empty test script', '{"scripts":{"test":"  "}}'],
    ['a test script that is not text', '{"scripts":{"test":["jest"]}}'],
    ['invalid JSON', '{"scripts": {'],
    ['JSON null', 'null'],
  ])('takes no command from package.json with %s', (_name, text) => {
    expect(detectTestCommand({ 'package.json': text })).toBeUndefined();
  });

  it('falls through a package.json without a test to the Makefile\'s test target', () => {
    expect(detectTestCommand({ 'package.json': npmDefault, Makefile: 'build:\n\tgo build\n\ntest: build\n\tgo test ./...\n' }))
      .toEqual({ argv: ['make', 'test'], source: 'Makefile' });
  });

  it.each([
    ['a target among others', 'check test: lint\n\t./run\n', true],
    ['a double-colon rule', 'test::\n\t./run\n', true],
    ['only a .PHONY line', '.PHONY: test\n', false],
    ['a variable named test', 'test := unit\n', false],
    ['a different target', 'unit-test:\n\t./run\n', false],
    ['a recipe line mentioning test:', 'all:\n\ttest: x\n', false],
  ])('reads a Makefile with %s', (_name, text, found) => {
    expect(detectTestCommand({ makefile: text })?.argv).toEqual(found ? ['make', 'test'] : undefined);
  });

  it('prefers package.json to a Makefile, and a Makefile to the language\'s own tool', () => {
    const all = { 'package.json': '{"scripts":{"test":"jest"}}', Makefile: 'test:\n\tcargo test\n', 'Cargo.toml': '[package]\n', 'go.mod': 'module x\n' };
    expect(detectTestCommand(all)?.source).toBe('package.json');
    expect(detectTestCommand({ ...all, 'package.json': undefined })?.source).toBe('Makefile');
  });

  it.each([
    [{ 'Cargo.toml': '[package]\nname = "x"\n' }, ['cargo', 'test'], 'Cargo.toml'],
    [{ 'go.mod': 'module example.com/x\n' }, ['go', 'test', './...'], 'go.mod'],
    [{ 'pytest.ini': '[pytest]\n' }, ['pytest'], 'pytest.ini'],
    [{ 'pyproject.toml': '[tool.pytest.ini_options]\naddopts = "-q"\n' }, ['pytest'], 'pyproject.toml'],
    [{ 'setup.cfg': '[metadata]\nname = x\n[tool:pytest]\n' }, ['pytest'], 'setup.cfg'],
    [{ 'tox.ini': '[tox]\n[pytest]\n' }, ['pytest'], 'tox.ini'],
  ] as const)('finds %j', (files, argv, source) => {
    expect(detectTestCommand(files)).toEqual({ argv, source });
  });

  it('finds nothing in a Python project that does not use pytest, nor in an empty one', () => {
    expect(detectTestCommand({ 'pyproject.toml': '[project]\nname = "x"\n', 'setup.cfg': '[metadata]\n' })).toBeUndefined();
    expect(detectTestCommand({})).toBeUndefined();
  });
});
