import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { builtinFiles } from '../config/builtinFiles.js';
import { InputError, type InputIssue, wholeFileIssue } from './inputIssue.js';
import { shownPath } from './shownPath.js';
import { decodeUtf8 } from './sourceDocument.js';
import { parseJsonSource } from './jsonSource.js';
import type { StagesConfig } from './stagesSchema.js';
import type { TeambotConfig } from './teambotConfigSchema.js';
import { validateStages } from './validateStages.js';
import { rosterOf, validateTeambotConfig } from './validateTeambotConfig.js';
import { parseYamlSource } from './yamlSource.js';

export interface ConfigurationRequest {
  /** Where paths on the command line are relative to, and files are named from. */
  readonly cwd: string;
  /** Where teambot.json and stages.yaml are looked for (findProject); default: cwd. */
  readonly projectRoot?: string | undefined;
  /** stages.yaml named on the command line (`--stages` or validate's argument). */
  readonly stagesPath?: string | undefined;
  /** teambot.json named with `--config`. */
  readonly configPath?: string | undefined;
}

export interface Configuration {
  readonly stages: StagesConfig;
  readonly teambot: TeambotConfig;
  /** True when agents were checked against a teambot.json file (not the built-in team). */
  readonly agentsChecked: boolean;
}

/**
 * Finds, reads and validates teambot.json and stages.yaml together, reporting
 * the problems of both files at once.
 *
 * Lookup: teambot.json from `--config`, else the project root's teambot.json,
 * else the built-in team; stages.yaml from the argument, else teambot.json's
 * `stages_config`, else the project root's stages.yaml, else the built-in
 * 14-stage workflow.
 *
 * @throws InputError with every issue found
 */
export async function loadConfiguration(request: ConfigurationRequest): Promise<Configuration> {
  const issues: InputIssue[] = [];
  const display = (path: string) => shownPath(request.cwd, path);
  const root = request.projectRoot ?? request.cwd;

  const configFile = request.configPath ? resolve(request.cwd, request.configPath) : findFile(root, 'teambot.json');
  const configPath = configFile ?? builtinFiles.teambotConfig;
  const configText = await readInput(configPath, display(configPath), 'config-not-found', issues);
  const teambot = configText === undefined
    ? undefined
    : collect(validateTeambotConfig(parseJsonSource(display(configPath), configText), { source: configFile ?? 'built-in' }), issues);

  const stagesFile = request.stagesPath
    ? resolve(request.cwd, request.stagesPath)
    : teambot?.stages_config && configFile
      ? resolve(dirname(configFile), teambot.stages_config)
      : findFile(root, 'stages.yaml');
  const stagesPath = stagesFile ?? builtinFiles.stages;
  const namedByConfig = !request.stagesPath && teambot?.stages_config !== undefined && configFile !== undefined;
  const stagesText = await readInput(stagesPath, display(stagesPath), 'stages-not-found', issues,
    namedByConfig ? `${display(configFile!)} names it in "stages_config"; correct that path, or remove it to use ./stages.yaml or the built-in workflow` : undefined);
  const roster = teambot && configFile ? rosterOf(teambot, display(configFile)) : undefined;
  const stages = stagesText === undefined
    ? undefined
    : collect(validateStages(parseYamlSource(display(stagesPath), stagesText), {
      source: stagesFile ?? 'built-in', ...(roster ? { roster } : {}),
    }), issues);

  if (issues.length > 0 || !stages || !teambot) throw new InputError(issues);
  return { stages, teambot, agentsChecked: roster !== undefined };
}

/** Reads a configuration file, recording a precise issue when it is missing or unreadable. */
async function readInput(path: string, shown: string, rule: string, issues: InputIssue[], missingFix?: string): Promise<string | undefined> {
  try {
    const decoded = decodeUtf8(shown, await readFile(path));
    if ('text' in decoded) return decoded.text;
    issues.push(decoded.issue);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    issues.push(wholeFileIssue({
      file: shown, rule: code === 'ENOENT' ? rule : 'unreadable',
      message: code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'this is a directory, not a file' : `cannot read the file (${code ?? 'unknown error'})`,
      fix: code === 'ENOENT'
        ? missingFix ?? 'check the path, or run `teambot init` to create a starting configuration'
        : 'name the file itself and check its permissions',
    }));
    return undefined;
  }
}

function collect<T>(result: { config?: T; issues: readonly InputIssue[] }, issues: InputIssue[]): T | undefined {
  issues.push(...result.issues);
  return result.config;
}

function findFile(directory: string, name: string): string | undefined {
  const candidate = resolve(directory, name);
  return existsSync(candidate) ? candidate : undefined;
}
