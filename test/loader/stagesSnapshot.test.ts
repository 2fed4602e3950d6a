import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { PositionTree } from '../../loader/positionTree.js';
import type { DataPath } from '../../loader/sourceDocument.js';
import { snapshotDocument } from '../../loader/stagesSnapshot.js';
import { parseYamlSource, yamlSnapshot } from '../../loader/yamlSource.js';
import { repoRoot, runCli, temporaryDirectory } from '../support/runCli.js';

const builtinText = readFileSync(join(repoRoot, 'config', 'stages.yaml'), 'utf8');

/** The snapshot JSON the build bundles for `text` (tsup.config.ts). */
function snapshotJsonOf(text: string): string {
  const snapshot = yamlSnapshot(text);
  if (!snapshot) throw new Error('the text has problems: no snapshot');
  return JSON.stringify({ text, ...snapshot });
}

/** Every path the tree has, plus one step past each: a missing key, an index out of range. */
function pathsOf(tree: PositionTree | null | undefined, prefix: DataPath = []): DataPath[] {
  const paths: DataPath[] = [prefix, [...prefix, 'no_such_key'], [...prefix, 99]];
  for (const [key, child] of Object.entries(tree?.entries ?? {})) paths.push(...pathsOf(child, [...prefix, key]));
  (tree?.items ?? []).forEach((child, index) => paths.push(...pathsOf(child, [...prefix, index])));
  return paths;
}

/** Asserts that the snapshot's document reads and locates `text` exactly as parsing it does. */
function expectSameAsParsing(text: string): number {
  const parsed = parseYamlSource('stages.yaml', text);
  const snapshot = snapshotDocument('stages.yaml', text, snapshotJsonOf(text))!;
  expect(snapshot.value).toStrictEqual(parsed.value);
  expect(snapshot.syntaxIssues).toEqual(parsed.syntaxIssues);
  const paths = pathsOf(yamlSnapshot(text)!.positions);
  for (const path of paths) {
    expect(snapshot.locate(path), `${JSON.stringify(path)}`).toEqual(parsed.locate(path));
    expect(snapshot.locate(path, { key: true }), `${JSON.stringify(path)} key`).toEqual(parsed.locate(path, { key: true }));
  }
  return paths.length;
}

describe('the built-in stages.yaml pre-parsed at build time', () => {
  it('has the data and every position parsing the YAML gives', () => {
    expect(expectSameAsParsing(builtinText)).toBeGreaterThan(500);
  });

  it('agrees with parsing on what locate finds at nulls, empty items, aliases, flow collections and numeric keys', () => {
    const text = [
      'empty:', 'list:', '  -', '  - one', '  - [a, {b: c}]', 'anchor: &shared { x: 1 }', 'alias: *shared',
      '"0": zero', '1: one', 'deep: { a: { b: [1, 2, { c: null }] } }', '',
    ].join('\n');
    expectSameAsParsing(text);
    const snapshot = snapshotDocument('s.yaml', text, snapshotJsonOf(text))!;
    expect(snapshot.locate(['deep', 'a', 'b', 2, 'c'])).toEqual({ line: 10, column: 29 });
  });

  it('is used only for the exact text it was made from', () => {
    const json = snapshotJsonOf(builtinText);
    expect(snapshotDocument('stages.yaml', builtinText, json)).toBeDefined();
    expect(snapshotDocument('stages.yaml', builtinText.replace('work_agent: ba', 'work_agent: pm'), json)).toBeUndefined();
    expect(snapshotDocument('stages.yaml', `${builtinText}\n`, json)).toBeUndefined();
    expect(snapshotDocument('stages.yaml', builtinText, undefined)).toBeUndefined();
  });

  it('is not made from a text with problems, which is parsed and reported at run time', () => {
    expect(yamlSnapshot('a: 1\na: 2\n')).toBeUndefined();
    expect(yamlSnapshot('a: [1\n')).toBeUndefined();
    expect(yamlSnapshot('a: *missing\n')).toBeUndefined();
  });

  it('gives every copy of it its own data', () => {
    const json = snapshotJsonOf(builtinText);
    const first = snapshotDocument('stages.yaml', builtinText, json)!.value as { stages: Record<string, unknown> };
    delete first.stages.SPEC;
    expect((snapshotDocument('stages.yaml', builtinText, json)!.value as { stages: Record<string, unknown> }).stages.SPEC).toBeDefined();
  });
});

describe('the built CLI with its built-in stages.yaml', () => {
  /** An installed teambot: the built dist/ with its config/ and package.json, in a directory of its own. */
  function installedCopy(): string {
    const root = temporaryDirectory();
    for (const part of ['dist', 'config', 'package.json']) cpSync(join(repoRoot, part), join(root, part), { recursive: true });
    return root;
  }

  it('reads the file as it is now: an edit made after the build is what validate checks and points at', async () => {
    const install = installedCopy();
    const edited = builtinText.replace(/^( {2}SPEC:\n {4}name: Specification\n)/m, '$1    work_agnet: ba\n');
    expect(edited).not.toBe(builtinText);
    writeFileSync(join(install, 'config', 'stages.yaml'), edited);
    const project = temporaryDirectory();

    const result = await execa('node', [join(install, 'dist', 'cli.js'), 'validate', '--runner', 'simulated', '--json'], {
      cwd: project, env: { NO_COLOR: '1' }, reject: false, stdin: 'ignore',
    });

    expect(result.exitCode).toBe(2);
    const line = edited.split('\n').findIndex((text) => text.includes('work_agnet')) + 1;
    expect(JSON.parse(result.stdout).errors).toContainEqual(expect.objectContaining({
      file: join(install, 'config', 'stages.yaml'), line, column: 5, rule: 'unknown-field', fix: expect.stringContaining('work_agent'),
    }));
  });

  it('places a warning about the unchanged built-in at its line, as parsing the YAML would', async () => {
    const project = temporaryDirectory();
    const result = await runCli(['validate', '--runner', 'simulated', '--json'], { cwd: project });

    expect(result.exitCode).toBe(0);
    const position = parseYamlSource('stages.yaml', builtinText).locate(['stages', 'ACCEPTANCE_TEST', 'is_acceptance_test_stage'], { key: true });
    expect(JSON.parse(result.stdout).warnings).toContainEqual(expect.objectContaining({
      file: 'built-in stages.yaml', ...position, rule: 'acceptance-command-missing', fix: expect.any(String),
    }));
  });
});
