import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess, spawnCli, withoutWarnings } from '../support/runCli.js';
import {
  commands, createProject, featureDirectory, fixtureText, objectiveFile, snapshot, stackTraceLine, stateFile, type CommandName,
} from '../support/project.js';
import { runStateText } from '../support/runState.js';

/**
 * Every malformed input must be refused the same way: exit 2, `file[:line:col]: … [rule]`
 * with a `fix:` line, no stack trace, no output of a run, and nothing on disk changed.
 */

/** The texts cases are made from: TeamBot's real files, and state files written by real runs (beforeAll). */
interface Inputs {
  readonly stages: string;
  readonly team: string;
  readonly objective: string;
  /** TeamBot's own state file (no schema_version). */
  readonly legacyState: string;
  /** A run that stopped with SPEC failed (status error). */
  readonly failedState: string;
  /** A run killed while RESEARCH ran and TEST_STRATEGY was done (status in_progress). */
  readonly runningState: string;
}

const DIRECTORY = Symbol('a directory where the file should be');
const MISSING = Symbol('no file at all');
/** A symbolic link to /dev/zero: endless bytes, which must never be read into memory. */
const ENDLESS_DEVICE = Symbol('a link to /dev/zero');
/** A symbolic link to a file outside the project, which must stay untouched. */
const OUTSIDE_LINK = Symbol('a link to a file outside the project');
type Content = string | Buffer | typeof DIRECTORY | typeof MISSING | typeof ENDLESS_DEVICE | typeof OUTSIDE_LINK;

/** The user's inputs, and the files teambot keeps a run in (which the user, or a crash, may break too). */
type InputFile = 'stages.yaml' | 'teambot.json' | 'objective' | 'simulation' | 'state' | 'runs directory' | 'run lock' | 'event log' | 'artifacts directory';
const pathOf: Record<InputFile, string> = {
  'stages.yaml': 'stages.yaml', 'teambot.json': 'teambot.json', objective: objectiveFile, simulation: 'sim.yaml', state: stateFile,
  'runs directory': '.teambot', 'run lock': join(featureDirectory, 'run.lock'), 'event log': join(featureDirectory, 'events.jsonl'),
  'artifacts directory': join(featureDirectory, 'artifacts'),
};

interface MalformedCase {
  readonly name: string;
  readonly file: InputFile;
  readonly command: CommandName;
  readonly content: (inputs: Inputs) => Content;
  /** Every rule the refusal reports (usually one). */
  readonly rules: readonly string[];
  /** `file`: about the file as a whole (no position); `line`: at some line:col; a function: exactly there. */
  readonly at: 'file' | 'line' | ((text: string) => string);
  /** Text the first problem's message must contain, when its wording is part of the fix being tested. */
  readonly message?: (text: string) => string;
  /** Prepares the project beyond the broken file (before the snapshot that must not change). */
  readonly setup?: (cwd: string) => void;
  /** The run the project holds before the command: `failed` (status error, the default for status and resume) or `complete`. */
  readonly previousRun?: 'failed' | 'complete';
}

/** Replaces one occurrence, failing loudly if the fixture changed (a silent no-op would test a valid file). */
function edit(text: string, search: string | RegExp, replacement: string): string {
  const edited = text.replace(search, replacement);
  if (edited === text) throw new Error(`mutation did not apply: ${String(search)} not found`);
  return edited;
}

/** `line:col` (1-based) where `marker` starts in `text`, plus `offset` columns. */
function positionOf(text: string, marker: string, offset = 0): string {
  const index = text.indexOf(marker);
  if (index < 0) throw new Error(`marker not found: ${marker}`);
  const before = text.slice(0, index).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1 + offset}`;
}

const utf16WithBom = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
const binaryGarbage = (length: number, step: number) => Buffer.from(Array.from({ length }, (_, index) => (index * step + 7) % 256));
const FIVE_MB = 5 * 1024 * 1024;

const stagesCases: MalformedCase[] = [
  { name: 'unclosed flow sequence', file: 'stages.yaml', command: 'validate', rules: ['yaml-syntax'], at: 'line',
    content: (i) => edit(i.stages, 'stage_order:\n  - SETUP\n', 'stage_order: [SETUP, BUSINESS_PROBLEM\n  - SETUP\n') },
  { name: 'mapping items at different indentation', file: 'stages.yaml', command: 'run', rules: ['yaml-syntax'], at: 'line',
    content: (i) => edit(i.stages, '  SETUP:\n    name: Setup\n', '  SETUP:\n      name: Setup\n    title: Setup\n') },
  { name: 'unclosed double quote', file: 'stages.yaml', command: 'status', rules: ['yaml-syntax'], at: 'line',
    content: (i) => edit(i.stages, '    name: Setup\n', '    name: "Setup\n') },
  { name: 'a tab used as indentation', file: 'stages.yaml', command: 'validate', rules: ['yaml-syntax'], at: (text) => positionOf(text, '\tname: Setup'),
    content: (i) => edit(i.stages, '    name: Setup\n', '\tname: Setup\n') },
  { name: 'a key without its colon', file: 'stages.yaml', command: 'resume', rules: ['yaml-syntax'], at: 'line',
    content: (i) => edit(i.stages, 'stage_order:\n', 'stage_order\n') },
  { name: 'two anchors on one node', file: 'stages.yaml', command: 'validate', rules: ['yaml-syntax'], at: (text) => positionOf(text, '&b'),
    content: (i) => edit(i.stages, 'stage_order:\n', '&a &b stage_order:\n') },
  { name: 'a second YAML document', file: 'stages.yaml', command: 'validate', rules: ['yaml-syntax'], at: 'line',
    content: (i) => `${i.stages}\n---\nstages: {}\n` },
  { name: 'a key twice in one stage', file: 'stages.yaml', command: 'validate', rules: ['duplicate-key'], at: (text) => positionOf(text, 'name: Again'),
    message: (text) => `duplicate key "name": first defined on line ${positionOf(text, 'name: Setup').split(':')[0]}`,
    content: (i) => edit(i.stages, '    name: Setup\n', '    name: Setup\n    name: Again\n') },
  { name: 'a top-level key twice, CRLF line endings', file: 'stages.yaml', command: 'run', rules: ['duplicate-key'], at: 'line',
    content: (i) => `${i.stages}\nwork_to_review_mapping:\n  SPEC: SPEC_REVIEW\n`.replace(/\n/g, '\r\n') },
  { name: 'a boolean written as text', file: 'stages.yaml', command: 'validate', rules: ['wrong-type'], at: (text) => positionOf(text, 'yes please'),
    content: (i) => edit(i.stages, '    optional: true  # May be skipped', '    optional: yes please  # May be skipped') },
  { name: 'a misspelt field', file: 'stages.yaml', command: 'run', rules: ['unknown-field'], at: (text) => positionOf(text, 'work_agnet'),
    content: (i) => edit(i.stages, '    name: Setup\n', '    name: Setup\n    work_agnet: pm\n') },
  { name: 'a lower-case stage name', file: 'stages.yaml', command: 'validate', rules: ['invalid-name'], at: 'line',
    content: () => 'stages:\n  setup: { work_agent: pm }\n  COMPLETE: {}\nstage_order: [setup, COMPLETE]\n' },
  { name: 'a parallel group without its stages', file: 'stages.yaml', command: 'validate', rules: ['missing-field'], at: (text) => positionOf(text, 'post_spec_review:\n    after: SPEC_REVIEW'),
    content: (i) => edit(i.stages, '    stages:\n      - RESEARCH\n      - TEST_STRATEGY\n', '') },
  { name: 'an empty file', file: 'stages.yaml', command: 'validate', rules: ['wrong-type'], at: 'line', content: () => '' },
  { name: 'only a comment', file: 'stages.yaml', command: 'status', rules: ['wrong-type'], at: 'line', content: () => '# stages come later\n' },
  { name: 'only document markers', file: 'stages.yaml', command: 'run', rules: ['wrong-type'], at: 'line', content: () => '---\n...\n' },
  { name: 'a list instead of a mapping', file: 'stages.yaml', command: 'validate', rules: ['wrong-type'], at: 'line', content: () => '- SETUP\n- COMPLETE\n' },
  { name: 'junk nested 500 levels deep', file: 'stages.yaml', command: 'validate', rules: ['wrong-type', 'out-of-range'], at: 'line',
    content: () => `stages: ${'['.repeat(500)}${']'.repeat(500)}\nstage_order: []\n` },
  { name: 'a 5 MB file', file: 'stages.yaml', command: 'validate', rules: ['too-large'], at: 'file',
    content: (i) => i.stages + `# ${'x'.repeat(98)}\n`.repeat(Math.ceil(FIVE_MB / 100)) },
  { name: 'a 3 MB single line', file: 'stages.yaml', command: 'validate', rules: ['wrong-type'], at: 'line', content: () => 'x'.repeat(3_000_000) },
  { name: 'a 700 kB single line, never closed', file: 'stages.yaml', command: 'validate', rules: ['yaml-syntax'], at: 'line',
    content: () => `stage_order: [${'SETUP, '.repeat(100_000)}\n` },
  { name: 'binary garbage', file: 'stages.yaml', command: 'run', rules: ['not-text'], at: 'file', content: () => binaryGarbage(4096, 7919) },
  { name: 'UTF-16 with a BOM', file: 'stages.yaml', command: 'validate', rules: ['not-text'], at: 'file', content: (i) => utf16WithBom(i.stages) },
  { name: 'an artifact named "."', file: 'stages.yaml', command: 'run', rules: ['unsafe-path'], at: (text) => positionOf(text, '".'),
    content: (i) => edit(i.stages, '      - research.md  #', '      - "."  #') },
  { name: 'an empty artifact name', file: 'stages.yaml', command: 'validate', rules: ['unsafe-path'], at: (text) => positionOf(text, '""  #'),
    content: (i) => edit(i.stages, '      - research.md  #', '      - ""  #') },
  { name: 'an artifact named "./"', file: 'stages.yaml', command: 'run', rules: ['unsafe-path'], at: (text) => positionOf(text, './  #'),
    content: (i) => edit(i.stages, '      - research.md  #', '      - ./  #') },
  { name: 'a NUL byte inside a value', file: 'stages.yaml', command: 'resume', rules: ['not-text'], at: 'file',
    content: (i) => edit(i.stages, 'name: Setup', 'name: Set\u0000up') },
];

const teamCases: MalformedCase[] = [
  { name: 'a doubled comma', file: 'teambot.json', command: 'validate', rules: ['json-syntax'], at: (text) => positionOf(text, ',,', 1),
    content: (i) => edit(i.team, '"teambot_dir": ".teambot",', '"teambot_dir": ".teambot",,') },
  { name: 'a JavaScript comment', file: 'teambot.json', command: 'run', rules: ['json-syntax'], at: () => '1:1', content: (i) => `// the team\n${i.team}` },
  { name: 'single-quoted strings', file: 'teambot.json', command: 'validate', rules: ['json-syntax'], at: 'line',
    content: (i) => edit(i.team, '"teambot_dir": ".teambot"', '\'teambot_dir\': \'.teambot\'') },
  { name: 'truncated after 300 bytes', file: 'teambot.json', command: 'status', rules: ['json-syntax'], at: 'line', content: (i) => i.team.slice(0, 300) },
  { name: 'an empty file', file: 'teambot.json', command: 'validate', rules: ['json-syntax'], at: () => '1:1', content: () => '' },
  { name: 'a JSON array instead of an object', file: 'teambot.json', command: 'validate', rules: ['wrong-type'], at: () => '1:1', content: (i) => `[${i.team}]` },
  { name: 'null', file: 'teambot.json', command: 'run', rules: ['wrong-type'], at: () => '1:1', content: () => 'null\n' },
  { name: 'a key twice', file: 'teambot.json', command: 'resume', rules: ['duplicate-key'], at: (text) => positionOf(text, '"teambot_dir": ".other"'),
    message: (text) => `duplicate key "teambot_dir": first defined on line ${positionOf(text, '"teambot_dir": ".teambot"').split(':')[0]}`,
    content: (i) => edit(i.team, '"teambot_dir": ".teambot",', '"teambot_dir": ".teambot",\n  "teambot_dir": ".other",') },
  { name: 'a number where text belongs', file: 'teambot.json', command: 'validate', rules: ['wrong-type'], at: (text) => positionOf(text, '42'),
    content: (i) => edit(i.team, '"teambot_dir": ".teambot"', '"teambot_dir": 42') },
  { name: 'a UTF-8 BOM and a wrong type (position counted after the BOM)', file: 'teambot.json', command: 'validate', rules: ['wrong-type'], at: () => '2:18',
    content: (i) => `\uFEFF${edit(i.team, '"teambot_dir": ".teambot"', '"teambot_dir": 42')}` },
  { name: 'a misspelt field', file: 'teambot.json', command: 'run', rules: ['unknown-field'], at: (text) => positionOf(text, '"teambot_dri"'),
    content: (i) => edit(i.team, '"teambot_dir"', '"teambot_dri"') },
  { name: 'no agents', file: 'teambot.json', command: 'run', rules: ['missing-field'], at: () => '1:1', content: () => '{ "teambot_dir": ".teambot" }\n' },
  { name: 'an unknown runner type', file: 'teambot.json', command: 'run', rules: ['invalid-value'], at: (text) => positionOf(text, '"magic"'),
    content: (i) => edit(i.team, '"teambot_dir": ".teambot",', '"teambot_dir": ".teambot",\n  "runner": { "type": "magic" },') },
  { name: 'a default_agent that is no agent', file: 'teambot.json', command: 'status', rules: ['unknown-agent'], at: (text) => positionOf(text, '"pmm"'),
    content: (i) => edit(i.team, '"default_agent": "pm"', '"default_agent": "pmm"') },
  { name: 'junk nested 900 levels deep', file: 'teambot.json', command: 'validate', rules: ['wrong-type'], at: 'line',
    content: () => `{"agents": ${'['.repeat(900)}${']'.repeat(900)}}` },
  { name: 'a 5 MB file', file: 'teambot.json', command: 'run', rules: ['too-large'], at: 'file',
    content: (i) => edit(i.team, '"teambot_dir"', `"padding": "${'y'.repeat(FIVE_MB)}", "teambot_dir"`) },
  { name: 'UTF-16 with a BOM', file: 'teambot.json', command: 'validate', rules: ['not-text'], at: 'file', content: (i) => utf16WithBom(i.team) },
  { name: 'a directory', file: 'teambot.json', command: 'validate', rules: ['unreadable'], at: 'file', content: () => DIRECTORY },
  { name: 'teambot_dir /etc', file: 'teambot.json', command: 'run', rules: ['teambot-dir-outside-project'], at: (text) => positionOf(text, '"/etc"'),
    content: (i) => edit(i.team, '"teambot_dir": ".teambot"', '"teambot_dir": "/etc"') },
  { name: 'teambot_dir ../x', file: 'teambot.json', command: 'run', rules: ['teambot-dir-outside-project'], at: (text) => positionOf(text, '"../x"'),
    content: (i) => edit(i.team, '"teambot_dir": ".teambot"', '"teambot_dir": "../x"') },
  { name: 'teambot_dir through a link out of the project', file: 'teambot.json', command: 'validate', rules: ['teambot-dir-outside-project'],
    // A directory in the project that is a link to one outside it.
    setup: (cwd) => symlinkSync(tmpdir(), join(cwd, 'tmp-link')),
    at: (text) => positionOf(text, '"tmp-link/runs"'), content: (i) => edit(i.team, '"teambot_dir": ".teambot"', '"teambot_dir": "tmp-link/runs"') },
];

const objectiveCases: MalformedCase[] = [
  { name: 'a directory', file: 'objective', command: 'run', rules: ['unreadable'], at: 'file', content: () => DIRECTORY },
  { name: 'a missing file', file: 'objective', command: 'run', rules: ['objective-not-found'], at: 'file', content: () => MISSING },
  { name: 'a 5 MB file', file: 'objective', command: 'run', rules: ['objective-too-large'], at: 'file',
    content: (i) => i.objective + 'lorem ipsum dolor sit amet\n'.repeat(Math.ceil(FIVE_MB / 27)) },
  { name: 'UTF-16 with a BOM', file: 'objective', command: 'run', rules: ['objective-not-text'], at: 'file', content: (i) => utf16WithBom(i.objective) },
  { name: 'a PNG image', file: 'objective', command: 'validate', rules: ['objective-not-text'], at: 'file',
    content: () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), binaryGarbage(2048, 31)]) },
  { name: 'a NUL byte in the title', file: 'objective', command: 'validate', rules: ['objective-not-text'], at: 'file',
    content: (i) => edit(i.objective, '# ', '# \u0000') },
];

const simulationCases: MalformedCase[] = [
  { name: 'an unclosed flow mapping', file: 'simulation', command: 'run', rules: ['yaml-syntax'], at: 'line', content: () => 'default_ms: 2\nstages:\n  RESEARCH: { ms: 3\n' },
  { name: 'a tab used as indentation', file: 'simulation', command: 'run', rules: ['yaml-syntax'], at: () => '2:1', content: () => 'stages:\n\tRESEARCH: { ms: 3 }\n' },
  { name: 'a key twice', file: 'simulation', command: 'run', rules: ['duplicate-key'], at: () => '2:1', content: () => 'default_ms: 2\ndefault_ms: 3\n',
    message: () => 'duplicate key "default_ms": first defined on line 1' },
  { name: 'text where a number belongs', file: 'simulation', command: 'run', rules: ['wrong-type'], at: () => '1:13', content: () => 'default_ms: fast\n' },
  { name: 'a negative duration', file: 'simulation', command: 'run', rules: ['out-of-range'], at: () => '1:13', content: () => 'default_ms: -5\n' },
  { name: 'a misspelt field', file: 'simulation', command: 'run', rules: ['unknown-field'], at: () => '3:15', content: () => 'default_ms: 2\nstages:\n  RESEARCH: { mss: 3 }\n' },
  { name: 'a stage the workflow does not have', file: 'simulation', command: 'run', rules: ['simulation-unknown-stage'], at: () => '3:3',
    content: () => 'default_ms: 2\nstages:\n  RESEARCHH: { ms: 3 }\n' },
  { name: 'an unknown verdict', file: 'simulation', command: 'run', rules: ['invalid-value'], at: () => '2:29', content: () => 'stages:\n  SPEC_REVIEW: { verdicts: [maybe] }\n' },
  { name: 'a list instead of a mapping', file: 'simulation', command: 'run', rules: ['wrong-type'], at: () => '1:1', content: () => '- 1\n- 2\n' },
  { name: 'a 5 MB file', file: 'simulation', command: 'run', rules: ['too-large'], at: 'file', content: () => `default_ms: 2\n${'#'.repeat(FIVE_MB)}\n` },
  { name: 'binary garbage', file: 'simulation', command: 'run', rules: ['not-text'], at: 'file', content: () => Buffer.from([0, 1, 2, 3, 255, 254]) },
  { name: 'UTF-16 with a BOM', file: 'simulation', command: 'run', rules: ['not-text'], at: 'file', content: () => utf16WithBom('default_ms: 2\n') },
  { name: 'a directory', file: 'simulation', command: 'run', rules: ['unreadable'], at: 'file', content: () => DIRECTORY },
  { name: 'a missing file', file: 'simulation', command: 'run', rules: ['simulation-not-found'], at: 'file', content: () => MISSING },
];

const invalidUtf8 = Buffer.from([0xff, 0xfe, 0xfd]);
const stateCases: MalformedCase[] = [
  { name: 'truncated to 0 bytes', file: 'state', command: 'status', rules: ['state-corrupt'], at: () => '1:1', content: () => '' },
  { name: 'truncated to 1 byte', file: 'state', command: 'resume', rules: ['state-corrupt'], at: () => '1:2', content: (i) => i.failedState.slice(0, 1) },
  { name: 'truncated inside a key', file: 'state', command: 'status', rules: ['state-corrupt'], at: 'line',
    content: (i) => i.failedState.slice(0, i.failedState.indexOf('"feature_name"') + 5) },
  { name: 'truncated at a third', file: 'state', command: 'resume', rules: ['state-corrupt'], at: 'line', content: (i) => i.failedState.slice(0, i.failedState.length / 3) },
  { name: 'truncated before the last brace', file: 'state', command: 'resume', rules: ['state-corrupt'], at: 'line',
    content: (i) => i.failedState.slice(0, i.failedState.trimEnd().length - 1) },
  { name: 'a running run\'s state truncated at 90 %', file: 'state', command: 'resume', rules: ['state-corrupt'], at: 'line',
    content: (i) => i.runningState.slice(0, Math.floor(i.runningState.length * 0.9)) },
  { name: 'TeamBot\'s state truncated at half', file: 'state', command: 'resume', rules: ['state-corrupt'], at: 'line',
    content: (i) => i.legacyState.slice(0, i.legacyState.length / 2) },
  { name: 'garbage after the object', file: 'state', command: 'status', rules: ['state-corrupt'], at: 'line', content: (i) => `${i.failedState}garbage` },
  { name: 'a key twice', file: 'state', command: 'status', rules: ['state-corrupt'], at: 'line',
    content: (i) => edit(i.failedState, '"status": "error"', '"status": "error", "status": "complete"') },
  { name: 'binary garbage', file: 'state', command: 'resume', rules: ['state-corrupt'], at: 'line', content: () => binaryGarbage(2048, 31) },
  { name: 'UTF-16 with a BOM', file: 'state', command: 'status', rules: ['state-corrupt'], at: () => '1:1', content: (i) => utf16WithBom(i.failedState) },
  { name: 'bytes that are not UTF-8', file: 'state', command: 'resume', rules: ['state-corrupt'], at: (text) => positionOf(text, '\uFFFD'),
    content: (i) => Buffer.concat([Buffer.from(i.failedState.slice(0, 100)), invalidUtf8, Buffer.from(i.failedState.slice(100))]) },
  { name: 'a NUL byte', file: 'state', command: 'status', rules: ['state-corrupt'], at: (text) => positionOf(text, '\u0000'),
    content: (i) => edit(i.failedState, '"status": "error"', '"status": "err\u0000or"') },
  { name: 'a 5 MB unterminated string', file: 'state', command: 'status', rules: ['state-corrupt'], at: 'line', content: () => `{"x": "${'y'.repeat(FIVE_MB)}` },
  { name: 'a JSON array instead of an object', file: 'state', command: 'status', rules: ['state-invalid'], at: () => '1:1', content: (i) => `[${i.failedState}]` },
  { name: 'an unknown current_stage', file: 'state', command: 'resume', rules: ['state-unknown-stage'], at: (text) => positionOf(text, '"DEPLOY"'),
    content: (i) => edit(i.failedState, '"current_stage": "SPEC"', '"current_stage": "DEPLOY"') },
  { name: 'an unknown parallel group as current_stage', file: 'state', command: 'status', rules: ['state-unknown-stage'], at: (text) => positionOf(text, '"PARALLEL_GROUP:nowhere"'),
    content: (i) => edit(i.runningState, '"current_stage": "PARALLEL_GROUP:post_spec_review"', '"current_stage": "PARALLEL_GROUP:nowhere"') },
  { name: 'TeamBot\'s state with an unknown current_stage', file: 'state', command: 'status', rules: ['state-unknown-stage'], at: (text) => positionOf(text, '"DEPLOY"'),
    content: (i) => edit(i.legacyState, '"current_stage": "ACCEPTANCE_TEST"', '"current_stage": "DEPLOY"') },
  { name: 'a stage the configuration does not have', file: 'state', command: 'resume', rules: ['state-stage-missing'], at: 'line',
    content: (i) => edit(i.failedState, /"SETUP": \{/g, '"WARMUP": {') },
  { name: 'a newer schema_version', file: 'state', command: 'resume', rules: ['state-newer-version'], at: (text) => positionOf(text, '3,'),
    content: (i) => edit(i.failedState, '"schema_version": 2', '"schema_version": 3') },
  { name: 'schema_version as text', file: 'state', command: 'status', rules: ['state-invalid'], at: (text) => positionOf(text, '"2"'),
    content: (i) => edit(i.failedState, '"schema_version": 2', '"schema_version": "2"') },
  { name: 'no machine snapshot', file: 'state', command: 'resume', rules: ['missing-field'], at: () => '1:1',
    content: (i) => edit(i.runningState, '"machine": {', '"machinery": {') },
  { name: 'text where a number belongs', file: 'state', command: 'status', rules: ['wrong-type'], at: (text) => positionOf(text, '"soon"'),
    content: (i) => edit(i.failedState, /"elapsed_seconds": [0-9.e-]+/, '"elapsed_seconds": "soon"') },
  { name: 'an unknown status', file: 'state', command: 'resume', rules: ['invalid-value'], at: (text) => positionOf(text, '"exploded"'),
    content: (i) => edit(i.failedState, '"status": "error"', '"status": "exploded"') },
  { name: 'a directory', file: 'state', command: 'resume', rules: ['unreadable'], at: 'file', content: () => DIRECTORY },
  { name: 'a feature directory without one', file: 'state', command: 'status', rules: ['state-not-found'], at: 'file', content: () => MISSING },
];

/** Devices where a file belongs: refused before a byte is read (reading /dev/zero would fill the memory). */
const deviceCases: MalformedCase[] = [
  { name: 'a link to /dev/zero', file: 'stages.yaml', command: 'validate', rules: ['not-a-file'], at: 'file', content: () => ENDLESS_DEVICE,
    message: () => 'this is a character device, not a file' },
  { name: 'a link to /dev/zero', file: 'teambot.json', command: 'run', rules: ['not-a-file'], at: 'file', content: () => ENDLESS_DEVICE },
  { name: 'a link to /dev/zero', file: 'objective', command: 'run', rules: ['not-a-file'], at: 'file', content: () => ENDLESS_DEVICE },
  { name: 'a link to /dev/zero', file: 'simulation', command: 'run', rules: ['not-a-file'], at: 'file', content: () => ENDLESS_DEVICE },
  { name: 'a link to /dev/zero', file: 'state', command: 'status', rules: ['not-a-file'], at: 'file', content: () => ENDLESS_DEVICE },
];

/** The runs directory broken in ways a user or a crash can leave it: said about that path, nothing moved. */
const runDirectoryCases: MalformedCase[] = [
  { name: 'a file instead of the directory, looking for runs', file: 'runs directory', command: 'status', rules: ['not-a-directory'], at: 'file', content: () => 'x\n',
    message: () => 'this is a file, not a directory' },
  { name: 'a file instead of the directory, starting a run', file: 'runs directory', command: 'run', rules: ['not-a-directory'], at: 'file', content: () => 'x\n' },
  { name: 'a file instead of the directory, resuming', file: 'runs directory', command: 'resume', rules: ['not-a-directory'], at: 'file', content: () => 'x\n' },
  { name: 'a directory instead of the lock file, starting a run', file: 'run lock', command: 'run', rules: ['not-a-file'], at: 'file', content: () => DIRECTORY },
  { name: 'a directory instead of the lock file, resuming', file: 'run lock', command: 'resume', rules: ['not-a-file'], at: 'file', content: () => DIRECTORY },
  // Checked before the state is archived: refusing after it would leave the run looking gone.
  { name: 'a directory instead of the log, when the run is archived', file: 'event log', command: 'run', previousRun: 'complete',
    rules: ['not-a-file'], at: 'file', content: () => DIRECTORY },
  { name: 'a link to /dev/zero, when the run is archived', file: 'event log', command: 'run', previousRun: 'complete',
    rules: ['symlink-refused'], at: 'file', content: () => ENDLESS_DEVICE },
  { name: 'a link to a file outside the project, starting a run', file: 'event log', command: 'run',
    rules: ['symlink-refused'], at: 'file', content: () => OUTSIDE_LINK },
  { name: 'a link to a file outside the project, starting over a finished run', file: 'state', command: 'run', previousRun: 'complete',
    rules: ['symlink-refused'], at: 'file', content: () => OUTSIDE_LINK },
  { name: 'a file instead of the directory, starting a run', file: 'artifacts directory', command: 'run', rules: ['not-a-directory'], at: 'file', content: () => 'x\n' },
  { name: 'a file instead of the directory, resuming', file: 'artifacts directory', command: 'resume', rules: ['not-a-directory'], at: 'file', content: () => 'x\n' },
];

/** Inputs that once crashed teambot or were accepted silently; kept so they never do again. */
const regressionCases: MalformedCase[] = [
  { name: 'a YAML alias bomb', file: 'stages.yaml', command: 'validate', rules: ['yaml-syntax'], at: 'file',
    content: () => 'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n'
      + 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\nstages: *d\nstage_order: *d\n' },
  { name: 'an alias to an undefined anchor', file: 'stages.yaml', command: 'run', rules: ['yaml-syntax'], at: 'file',
    content: (i) => edit(i.stages, '    name: Setup\n', '    name: *nowhere\n') },
  { name: 'an alias bomb as the simulation file', file: 'simulation', command: 'run', rules: ['yaml-syntax'], at: 'file',
    content: () => 'a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n'
      + 'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\nstages: *d\n' },
  { name: 'JSON nested 5000 levels deep', file: 'teambot.json', command: 'validate', rules: ['json-syntax'], at: 'file',
    content: () => `{"agents":${'['.repeat(5000)}${']'.repeat(5000)}}` },
  { name: 'a state file nested 200000 levels deep', file: 'state', command: 'status', rules: ['state-corrupt'], at: 'file',
    content: () => `{"status":${'['.repeat(200_000)}` },
  { name: 'a Latin-1 byte in a stage name', file: 'stages.yaml', command: 'validate', rules: ['not-utf8'], at: 'line',
    content: (i) => Buffer.concat([Buffer.from(edit(i.stages, '    name: Setup\n', '    name: Set')), Buffer.from([0xff]), Buffer.from('up\n')]) },
  { name: 'invalid UTF-8 in teambot.json', file: 'teambot.json', command: 'run', rules: ['not-utf8'], at: 'line',
    content: (i) => Buffer.concat([Buffer.from('{"teambot_dir": "'), Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), Buffer.from(`",${i.team.trim().slice(1)}`)]) },
  { name: 'a Latin-1 objective', file: 'objective', command: 'run', rules: ['not-utf8'], at: 'line',
    content: () => Buffer.concat([Buffer.from('# Objective: Dark m'), Buffer.from([0xf6]), Buffer.from('de toggle\n')]) },
  { name: 'invalid UTF-8 in the simulation file', file: 'simulation', command: 'run', rules: ['not-utf8'], at: 'line',
    content: () => Buffer.concat([Buffer.from('def'), Buffer.from([0xff, 0xfe]), Buffer.from('ault_ms: 2\n')]) },
  { name: 'a snapshot in a state the workflow lacks', file: 'state', command: 'resume', rules: ['state-invalid'], at: 'line',
    content: (i) => JSON.stringify({ ...JSON.parse(i.runningState), machine: { ...JSON.parse(i.runningState).machine, value: 'NOWHERE' } }, null, 2) },
  { name: 'a snapshot without context', file: 'state', command: 'resume', rules: ['invalid-value', 'missing-field'], at: 'line',
    content: (i) => JSON.stringify({ ...JSON.parse(i.runningState), machine: { junk: [1, 2, 3] } }, null, 2) },
];

const cases = [
  ...stagesCases, ...teamCases, ...objectiveCases, ...simulationCases, ...stateCases, ...deviceCases, ...runDirectoryCases, ...regressionCases,
];

let inputs: Inputs;

/** Writes the project's inputs, then breaks one of them. */
function prepare(malformed: MalformedCase): { cwd: string; text: string } {
  const cwd = createProject();
  malformed.setup?.(cwd);
  if (malformed.previousRun || malformed.file === 'state' || malformed.command === 'status' || malformed.command === 'resume') {
    mkdirSync(join(cwd, featureDirectory), { recursive: true });
    writeFileSync(join(cwd, stateFile), malformed.previousRun === 'complete'
      ? edit(inputs.failedState, '"status": "error"', '"status": "complete"')
      : inputs.failedState);
  }
  const path = join(cwd, pathOf[malformed.file]);
  const content = malformed.content(inputs);
  rmSync(path, { recursive: true, force: true });
  if (content !== MISSING) mkdirSync(dirname(path), { recursive: true });
  if (content === DIRECTORY) mkdirSync(path);
  else if (content === ENDLESS_DEVICE) symlinkSync('/dev/zero', path);
  else if (content === OUTSIDE_LINK) symlinkSync(outsideFile(), path);
  else if (content !== MISSING) writeFileSync(path, content);
  return { cwd, text: typeof content === 'symbol' ? '' : Buffer.from(content).toString('utf8') };
}

/** A file outside every project, which a link planted in a run directory points at. */
function outsideFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'teambot-outside-')), 'target.txt');
  writeFileSync(path, 'not teambot\'s\n');
  return path;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

beforeAll(async () => {
  const failed = createProject('default_ms: 2\nstages:\n  SPEC: { fail: simulated failure }\n');
  const stopped = await runCliInProcess(commands.run, { cwd: failed });
  if (stopped.exitCode !== 1) throw new Error(`the SPEC failure run should exit 1: ${stopped.exitCode} ${stopped.stderr}`);

  const running = createProject('default_ms: 2\nstages:\n  RESEARCH: { ms: 60000 }\n');
  const killed = spawnCli(commands.run, { cwd: running });
  await killed.waitForOutput(/stage\.completed\s+TEST_STRATEGY/);
  killed.subprocess.kill('SIGKILL');
  await killed.subprocess;

  inputs = {
    stages: fixtureText.stages, team: fixtureText.team, objective: fixtureText.objective, legacyState: fixtureText.legacyState,
    failedState: readFileSync(join(failed, stateFile), 'utf8'),
    runningState: runStateText(join(running, featureDirectory)),
  };
}, 30_000);

describe('the unmodified project is accepted (so each refusal below is caused by its one broken input)', () => {
  it.each(Object.keys(commands) as CommandName[])('%s exits 0', async (command) => {
    const cwd = createProject();
    if (command === 'status' || command === 'resume') {
      mkdirSync(join(cwd, featureDirectory), { recursive: true });
      writeFileSync(join(cwd, stateFile), inputs.failedState);
    }
    const result = await runCliInProcess(commands[command], { cwd });
    // TeamBot's teambot.json sets "workflow", which validate says teambot ignores.
    expect(withoutWarnings(result.stderr, 'ignored-key')).toBe('');
    expect(result.exitCode).toBe(0);
  });
});

describe.concurrent(`${cases.length} malformed inputs: exit 2, file and [rule], a fix, no stack trace, nothing changed`, () => {
  it('the corpus has at least 40 cases, each named once', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((malformed) => `${malformed.file}: ${malformed.name}`)).size).toBe(cases.length);
  });

  it.for(cases.map((malformed) => ({ ...malformed, title: `${malformed.file}: ${malformed.name} (${malformed.command}) → [${malformed.rules.join('], [')}]` })))(
    '$title', async (malformed, { expect }) => {
      const { cwd, text } = prepare(malformed);
      const before = snapshot(cwd);

      const result = await runCliInProcess(commands[malformed.command], { cwd });

      const context = `${malformed.command} with ${malformed.file}: ${malformed.name} in ${cwd}\nstdout: ${result.stdout.slice(0, 500)}\nstderr: ${result.stderr.slice(0, 2000)}`;
      expect(result.exitCode, context).toBe(2);
      expect(result.stderr, context).not.toMatch(stackTraceLine);
      expect(result.stderr, context).not.toMatch(/unexpected error/);
      expect(result.stdout, context).toBe('');

      // Every problem line: `<path ending in the file's name>[:line:col]: message [rule]`, then `  fix: …`.
      const issue = new RegExp(`^(?:.*[/\\\\])?${escape(pathOf[malformed.file].split('/').at(-1)!)}(?::(\\d+):(\\d+))?: .+ \\[([a-z0-9-]+)\\]$`, 'gm');
      const issues = [...result.stderr.matchAll(issue)].map((match) => ({ line: match[1], column: match[2], rule: match[3]!, at: match.index }));
      expect(issues.length, context).toBeGreaterThan(0);
      expect([...new Set(issues.map((found) => found.rule))].sort(), context).toEqual([...malformed.rules].sort());
      const lines = result.stderr.split('\n');
      for (const found of issues) {
        const lineIndex = result.stderr.slice(0, found.at).split('\n').length - 1;
        expect(lines[lineIndex + 1], context).toMatch(/^\s+fix: \S/);
      }
      // Nothing else: no warnings, no stray lines; the count says how many problems were listed.
      expect(lines.filter((line) => line.trim() !== '' && !/^\s+fix: /.test(line)), context).toEqual([
        ...issues.map((found) => lines[result.stderr.slice(0, found.at).split('\n').length - 1]),
        `✗ ${issues.length === 1 ? '1 problem' : `${issues.length} problems`} found; nothing was changed.`,
      ]);
      if (malformed.at === 'file') {
        expect(issues.every((found) => found.line === undefined), context).toBe(true);
      } else {
        expect(issues.every((found) => found.line !== undefined && Number(found.line) > 0 && Number(found.column) > 0), context).toBe(true);
        if (typeof malformed.at === 'function') expect(`${issues[0]!.line}:${issues[0]!.column}`, context).toBe(malformed.at(text));
      }
      if (malformed.message) expect(lines[result.stderr.slice(0, issues[0]!.at).split('\n').length - 1], context).toContain(malformed.message(text));

      expect(snapshot(cwd), context).toEqual(before);
      rmSync(cwd, { recursive: true, force: true }); // only when it passed: a failing case's project stays for a look
    });
});
