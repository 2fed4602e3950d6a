import { existsSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { builtinFiles } from '../config/builtinFiles.js';
import { rememberConfigDocument } from './configPositions.js';
import { describeFileError } from './fileProblems.js';
import { InputError, type InputIssue, wholeFileIssue } from './inputIssue.js';
import { notAFileIssue, readInputFile } from './readInputFile.js';
import { shownPath } from './shownPath.js';
import { decodeUtf8, MAX_TEXT_BYTES, tooLargeIssue, type SourceDocument } from './sourceDocument.js';
import { parseJsonSource } from './jsonSource.js';
import type { AgentRoster } from './stageRules.js';
import type { StagesConfig } from './stagesSchema.js';
import { prevalidatedStages, snapshotDocument } from './stagesSnapshot.js';
import type { TeambotConfig } from './teambotConfigSchema.js';
import { TEAMBOT_DIR_VARIABLE } from './teambotDirectory.js';
import { prevalidatedTeam } from './teamSnapshot.js';

export interface ConfigurationRequest {
  /** Where paths on the command line are relative to, and files are named from. */
  readonly cwd: string;
  /** Where teambot.json and stages.yaml are looked for (findProject); default: cwd. */
  readonly projectRoot?: string | undefined;
  /** stages.yaml named on the command line (`--stages` or validate's argument). */
  readonly stagesPath?: string | undefined;
  /** teambot.json named with `--config`. */
  readonly configPath?: string | undefined;
  /** Where TEAMBOT_DIR is read (default: the process's environment). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface Configuration {
  readonly stages: StagesConfig;
  readonly teambot: TeambotConfig;
  /** True when agents were checked against a teambot.json file (not the built-in team). */
  readonly agentsChecked: boolean;
  /** What is worth saying but stops nothing: TeamBot keys teambot.json sets that teambot ignores (`ignored-key`). */
  readonly warnings?: readonly InputIssue[] | undefined;
}

/**
 * Finds, reads and validates teambot.json and stages.yaml together, reporting
 * the problems of both files at once.
 *
 * Lookup: teambot.json from `--config`, else the project root's teambot.json,
 * else the built-in team; stages.yaml from the argument, else teambot.json's
 * `stages_config`, else the project root's stages.yaml, else the built-in
 * 14-stage workflow. `teambot_dir` must be inside the project; TEAMBOT_DIR in
 * the environment replaces it with any directory (relative to cwd).
 *
 * @throws InputError with every issue found
 */
export async function loadConfiguration(request: ConfigurationRequest): Promise<Configuration> {
  const issues: InputIssue[] = [];
  const display = (path: string) => shownPath(request.cwd, path);
  const root = request.projectRoot ?? request.cwd;

  const configFile = request.configPath ? resolve(request.cwd, request.configPath) : findFile(root, 'teambot.json');
  const configPath = configFile ?? builtinFiles.teambotConfig;
  const configIssues: InputIssue[] = [];
  const warnings: InputIssue[] = [];
  const configText = await readInput(configPath, display(configPath), 'config-not-found', configIssues);
  const teambot = configText === undefined
    ? undefined
    : collect(await validateTeam(configPath, display(configPath), configText, { source: configFile ?? 'built-in', projectRoot: root }), configIssues, warnings);
  issues.push(...withSlotHint(configIssues, request.configPath ? configFile : undefined, display, 'config'));

  const stagesFile = request.stagesPath
    ? resolve(request.cwd, request.stagesPath)
    : teambot?.stages_config && configFile
      ? resolve(dirname(configFile), teambot.stages_config)
      : findFile(root, 'stages.yaml');
  const stagesPath = stagesFile ?? builtinFiles.stages;
  const namedByConfig = !request.stagesPath && teambot?.stages_config !== undefined && configFile !== undefined;
  const stagesIssues: InputIssue[] = [];
  const stagesText = await readInput(stagesPath, display(stagesPath), 'stages-not-found', stagesIssues,
    namedByConfig ? display(configFile!) : undefined);
  const roster = teambot && configFile ? (await import('./validateTeambotConfig.js')).rosterOf(teambot, display(configFile)) : undefined;
  const stages = stagesText === undefined
    ? undefined
    : collect(await validateStagesText(stagesPath, display(stagesPath), stagesText, {
      source: stagesFile ?? 'built-in', ...(roster ? { roster } : {}),
    }), stagesIssues);
  issues.push(...withSlotHint(stagesIssues, request.stagesPath ? stagesFile : undefined, display, 'stages'));

  if (issues.length > 0 || !stages || !teambot) throw new InputError(issues);
  const override = (request.env ?? process.env)[TEAMBOT_DIR_VARIABLE];
  const team = override ? { ...teambot, teambot_dir: resolve(request.cwd, override) } : teambot;
  return { stages, teambot: team, agentsChecked: roster !== undefined, warnings };
}

type Validation<T> = { config?: T; issues: readonly InputIssue[]; warnings?: readonly InputIssue[] };

/**
 * teambot.json validated: the built-in team (or an unchanged copy) as the build validated it
 * (teamSnapshot.ts); any other text here, loading the schema (zod) only then.
 */
async function validateTeam(path: string, shown: string, text: string, options: { source: string; projectRoot: string }): Promise<Validation<TeambotConfig>> {
  const known = prevalidatedTeam(text, options);
  if (known) return known;
  const { validateTeambotConfig } = await import('./validateTeambotConfig.js');
  const document = parseJsonSource(shown, text);
  rememberConfigDocument(path, text, document);
  return validateTeambotConfig(document, options);
}

/**
 * stages.yaml validated: the built-in workflow (or an unchanged copy) as the build validated it
 * when there is no team of the user's to check it against (stagesSnapshot.ts); any other case
 * here, loading the schema (zod) and, for a text that is not the built-in, the YAML parser.
 */
async function validateStagesText(
  path: string, shown: string, text: string, options: { source: string; roster?: AgentRoster },
): Promise<Validation<StagesConfig>> {
  const known = prevalidatedStages(text, options);
  if (known) return known;
  const { validateStages } = await import('./validateStages.js');
  const document = await parseStages(shown, text);
  rememberConfigDocument(path, text, document);
  return validateStages(document, options);
}

/** The built-in workflow's text comes parsed from the build; any other text is parsed here. */
async function parseStages(file: string, text: string): Promise<SourceDocument> {
  const snapshot = snapshotDocument(file, text);
  if (snapshot) return snapshot;
  const { parseYamlSource } = await import('./yamlSource.js');
  return parseYamlSource(file, text);
}

/**
 * Reads a configuration file, recording a precise issue when it is missing, not a regular file,
 * unreadable or too large. `namedBy` says where its path came from, when that is where to fix it.
 */
async function readInput(path: string, shown: string, rule: string, issues: InputIssue[], namedBy?: string): Promise<string | undefined> {
  const read = await readInputFile(path, MAX_TEXT_BYTES);
  if (read.kind === 'read') {
    if (read.tooLarge) {
      issues.push(tooLargeIssue(shown));
      return undefined;
    }
    const decoded = decodeUtf8(shown, read.bytes);
    if ('text' in decoded) return decoded.text;
    issues.push(decoded.issue);
    return undefined;
  }
  const correctIt = namedBy ? `${namedBy} names it in "stages_config"; ` : '';
  if (read.kind === 'missing') {
    issues.push(wholeFileIssue({
      file: shown, rule, message: 'file not found',
      fix: namedBy ? `${correctIt}correct that path, or remove it to use ./stages.yaml or the built-in workflow`
        : 'check the path, or run `teambot init` to create a starting configuration',
    }));
  } else if (read.kind === 'not-a-file') {
    issues.push(notAFileIssue(shown, read.what, `${correctIt}name the file itself (teambot reads regular files, not pipes or devices)`));
  } else {
    issues.push(wholeFileIssue({
      file: shown, rule: 'unreadable',
      message: read.kind === 'directory' ? 'this is a directory, not a file' : `cannot read the file: ${describeFileError(read.code)}`,
      fix: read.kind === 'directory'
        ? namedBy ? `set "stages_config" in ${namedBy} to the stages file itself (e.g. "stages.yaml"), not a directory` : 'name the file itself, not its directory'
        : `${correctIt}check the file's permissions`,
    }));
  }
  return undefined;
}

/**
 * A hint for a file passed in the wrong slot (an objective as the stages file, a stages file as
 * --config), added only when that file was refused: its syntax errors alone would not say why.
 */
function wrongSlotHint(path: string, shown: string, slot: 'stages' | 'config'): InputIssue | undefined {
  const extension = extname(path).toLowerCase();
  if (slot === 'stages' && (extension === '.md' || extension === '.markdown')) {
    return wholeFileIssue({
      file: shown, rule: 'wrong-file-kind',
      message: 'this looks like an objective (markdown), but it was given as the stages file',
      fix: `pass an objective with -o: \`teambot validate -o ${shown}\` (or \`teambot run ${shown}\`); the stages file is validate's argument or --stages`,
    });
  }
  if (slot === 'config' && (extension === '.yaml' || extension === '.yml')) {
    return wholeFileIssue({
      file: shown, rule: 'wrong-file-kind',
      message: 'this looks like a stages file (YAML), but it was given as --config, which takes teambot.json',
      fix: `pass a stages file with --stages ${shown} (or as validate's argument), and teambot.json with -c`,
    });
  }
  return undefined;
}

/** The issues of one file, plus the wrong-slot hint when a file the user named was refused. */
function withSlotHint(issues: InputIssue[], named: string | undefined, display: (path: string) => string, slot: 'stages' | 'config'): InputIssue[] {
  const refused = named !== undefined && issues.some((issue) => issue.file === display(named));
  const hint = refused ? wrongSlotHint(named, display(named), slot) : undefined;
  return hint ? [hint, ...issues] : issues;
}

function collect<T>(result: Validation<T>, issues: InputIssue[], warnings: InputIssue[] = []): T | undefined {
  issues.push(...result.issues);
  warnings.push(...(result.warnings ?? []));
  return result.config;
}

function findFile(directory: string, name: string): string | undefined {
  const candidate = resolve(directory, name);
  return existsSync(candidate) ? candidate : undefined;
}
