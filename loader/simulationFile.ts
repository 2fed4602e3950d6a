import { isAbsolute } from 'node:path';
import * as z from 'zod';
import { describeFileError } from './fileProblems.js';
import { MAX_DURATION_MS } from './durationLimits.js';
import { InputError, type InputIssue, wholeFileIssue } from './inputIssue.js';
import { type InputFileRead, notAFileIssue, readInputFile } from './readInputFile.js';
import { decodeUtf8, MAX_TEXT_BYTES, tooLargeIssue } from './sourceDocument.js';
import type { SourceDocument } from './sourceDocument.js';
import type { StagesConfig } from './stagesSchema.js';
import { suggestionFor } from './suggestName.js';
import { parseYamlSource } from './yamlSource.js';
import { issuesFromZod } from './zodIssues.js';

export const DEFAULT_SIMULATED_MS = 200;

/** How one stage's simulated agent behaves. */
export interface StageSimulation {
  /** Duration of every agent call of the stage, in milliseconds (default: the file's default_ms). */
  readonly ms?: number | undefined;
  /** When set, every agent call of the stage fails with this message. */
  readonly fail?: string | undefined;
  /** Review verdicts, one per review iteration; missing ones approve. */
  readonly verdicts: readonly ('approve' | 'reject')[];
  /** Acceptance results, one per acceptance round; missing ones pass. */
  readonly results: readonly ('pass' | 'fail')[];
  /** Files each work call writes in its working directory: relative path → content, null to delete it. */
  readonly writes?: Readonly<Record<string, string | null>>;
}

/** A validated simulation file (`--simulate`) with every default applied. */
export interface Simulation {
  readonly default_ms: number;
  readonly stages: Readonly<Record<string, StageSimulation>>;
}

const noScript = (): StageSimulation => ({ verdicts: [], results: [], writes: {} });

// Durations are capped at ten years (durationLimits.ts): a longer one is a typo, and 1e400 is Infinity.
// YAML writes an empty entry (`RESEARCH:`) or list (`verdicts:`) as null; both mean "nothing set".
const stageSimulationSchema = z.strictObject({
  ms: z.int().min(0).max(MAX_DURATION_MS).optional().meta({ description: 'Duration of each agent call of this stage, in ms.' }),
  fail: z.string().min(1).optional().meta({ description: 'Fail every agent call of this stage with this message.' }),
  verdicts: z.array(z.enum(['approve', 'reject'])).nullable().default([]).transform((list) => list ?? [])
    .meta({ description: 'Review verdicts, one per review iteration (default approve).' }),
  results: z.array(z.enum(['pass', 'fail'])).nullable().default([]).transform((list) => list ?? [])
    .meta({ description: 'Acceptance results, one per acceptance round (default pass).' }),
  writes: z.record(z.string().min(1), z.string().nullable()).nullable().default({}).transform((files) => files ?? {})
    .meta({ description: 'Files each work call writes in its working directory (the project): relative path → content; null deletes the file.' }),
});

/** The whole simulation file. */
export const simulationFileSchema = z.strictObject({
  default_ms: z.int().min(0).max(MAX_DURATION_MS).default(DEFAULT_SIMULATED_MS)
    .meta({ description: 'Duration of every agent call, in ms, unless the stage sets ms.' }),
  stages: z.record(z.string(), stageSimulationSchema.nullable().transform((stage) => stage ?? noScript()))
    .nullable().default({}).transform((stages) => stages ?? {})
    .meta({ description: 'Per-stage behaviour, keyed by stage name.' }),
}).meta({ title: 'teambot simulation file', description: 'Drives the simulated runner (--simulate).' });

/**
 * Parses and validates a simulation file (YAML or JSON). With `stages`, also
 * reports stage names the workflow does not have.
 *
 * @throws InputError listing every issue, each at its file:line:col
 * @example
 * const simulation = parseSimulation('demo.yaml', 'stages:\n  RESEARCH: { ms: 300 }\n');
 * simulation.default_ms; // 200
 */
export function parseSimulation(file: string, text: string, options: { stages?: StagesConfig } = {}): Simulation {
  const document = parseYamlSource(file, text);
  const issues: InputIssue[] = [...document.syntaxIssues];
  if (document.value === undefined && issues.length > 0) throw new InputError(issues);

  // An empty file is a valid simulation: every default.
  const parsed = simulationFileSchema.safeParse(document.value ?? {}, { reportInput: true });
  if (!parsed.success) {
    issues.push(...issuesFromZod(parsed.error, { document, basePath: [], schema: simulationFileSchema }));
    throw new InputError(issues);
  }
  const simulation: Simulation = parsed.data;
  if (options.stages) issues.push(...checkSimulationStages(simulation, options.stages, file, document.locate));
  issues.push(...checkSimulationWrites(simulation, file, document.locate));
  if (issues.length > 0) throw new InputError(issues);
  return simulation;
}

/**
 * Reads and parses a simulation file; see {@link parseSimulation}.
 *
 * @throws InputError `simulation-not-found` (line 0) when the file is missing; `not-a-file`, `unreadable`, `too-large`
 */
export async function loadSimulationFile(path: string, options: { stages?: StagesConfig } = {}): Promise<Simulation> {
  const read = await readInputFile(path, MAX_TEXT_BYTES);
  if (read.kind !== 'read') throw new InputError([unreadableSimulation(path, read)]);
  if (read.tooLarge) throw new InputError([tooLargeIssue(path)]);
  const bytes = read.bytes;
  const decoded = decodeUtf8(path, bytes);
  if ('issue' in decoded) throw new InputError([decoded.issue]);
  const text = decoded.text;
  return parseSimulation(path, text, options);
}

/** Why there is no simulation to parse: missing, a directory, a pipe or device, or unreadable. */
function unreadableSimulation(path: string, read: Exclude<InputFileRead, { kind: 'read' }>): InputIssue {
  if (read.kind === 'not-a-file') return notAFileIssue(path, read.what, 'name the simulation file itself, e.g. config/simulations/demo.yaml');
  return wholeFileIssue({
    file: path, rule: read.kind === 'missing' ? 'simulation-not-found' : 'unreadable',
    message: read.kind === 'missing' ? 'simulation file not found'
      : read.kind === 'directory' ? 'this is a directory, not a file' : `cannot read the file: ${describeFileError(read.code)}`,
    fix: read.kind === 'missing'
      ? 'check the path passed to --simulate (it is resolved from the current directory), or use config/simulations/demo.yaml as a start'
      : 'name the simulation file itself and check its permissions',
  });
}

/**
 * Stage names in the simulation that the workflow does not define; a typo there
 * would otherwise silently simulate nothing.
 *
 * @param locate the parsed document's locator, so issues point at the stage's key (line 0 without it)
 */
export function checkSimulationStages(
  simulation: Simulation,
  stages: StagesConfig,
  file: string,
  locate?: SourceDocument['locate'],
): InputIssue[] {
  const known = Object.keys(stages.stages);
  return Object.keys(simulation.stages)
    .filter((name) => !Object.hasOwn(stages.stages, name))
    .map((name) => ({
      file,
      ...(locate ? locate(['stages', name], { key: true }) : { line: 0, column: 0 }),
      subject: `stage ${name}`,
      rule: 'simulation-unknown-stage',
      message: `"${name}" is not a stage of the workflow`,
      fix: `${suggestionFor(name, known, 'stages')} (or remove the entry)`,
    }));
}

/**
 * Paths a simulated agent may write: relative, inside its working directory,
 * never into git's own files or teambot's run directory. A config file is
 * untrusted: `../x` or `/etc/x` would write outside the project.
 */
export function checkSimulationWrites(simulation: Simulation, file: string, locate?: SourceDocument['locate']): InputIssue[] {
  return Object.entries(simulation.stages).flatMap(([stage, script]) => Object.keys(script.writes ?? {}).flatMap((path): InputIssue[] => {
    const why = unwritablePathReason(path);
    if (why === undefined) return [];
    return [{
      file,
      ...(locate ? locate(['stages', stage, 'writes', path], { key: true }) : { line: 0, column: 0 }),
      subject: `stage ${stage}`,
      rule: 'simulation-write-outside',
      message: `"${path}" ${why}`,
      fix: 'name a file by its path relative to the project, e.g. src/feature.ts',
    }];
  }));
}

/** Why a simulated agent may not write `path`, or undefined when it may. */
export function unwritablePathReason(path: string): string | undefined {
  if (isAbsolute(path) || /^[A-Za-z]:/.test(path)) return 'is an absolute path; a simulated agent writes only inside its working directory';
  const parts = path.split(/[\\/]/);
  if (parts.includes('..')) return 'leads out of the working directory (..)';
  if (parts.some((part) => part === '.git' || part === '.teambot')) return 'is inside .git or .teambot, which agents never write';
  if (parts.every((part) => part === '' || part === '.')) return 'names no file';
  return undefined;
}
