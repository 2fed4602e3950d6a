import type { InputIssue } from './inputIssue.js';
import type { TeambotConfig } from './teambotConfigSchema.js';
import { teambotDirProblem } from './teambotDirectory.js';

/** The built-in teambot.json as the build validated it (builtinSnapshots.ts). */
export interface TeamSnapshot {
  readonly text: string;
  readonly config: TeambotConfig;
}

/** Replaced by the build with the snapshot as a JSON text (tsup.config.ts, `define`). */
declare const TEAMBOT_TEAM_SNAPSHOT: string | undefined;

/**
 * The validation of a teambot.json text that is exactly the built-in one the build validated
 * (the built-in itself, or an unchanged copy `teambot init` wrote), without zod: the team the
 * build found, once its `teambot_dir` is checked against this project. Undefined for any other
 * text, or when the directory is a problem: then the file is validated, and the problem
 * reported at its line, as ever.
 *
 * @example prevalidatedTeam(text, { source: 'built-in', projectRoot: '/repo' })?.config.agents.length // 6
 */
export function prevalidatedTeam(
  text: string,
  options: { source: string; projectRoot?: string },
  snapshotJson = builtinTeamJson(),
): { config: TeambotConfig; issues: readonly InputIssue[]; warnings: readonly InputIssue[] } | undefined {
  if (snapshotJson === undefined) return undefined;
  const snapshot = JSON.parse(snapshotJson) as TeamSnapshot;
  if (snapshot.text !== text) return undefined;
  if (options.projectRoot !== undefined && teambotDirProblem(snapshot.config.teambot_dir, options.projectRoot) !== undefined) return undefined;
  return { config: { ...snapshot.config, source: options.source }, issues: [], warnings: [] };
}

function builtinTeamJson(): string | undefined {
  return typeof TEAMBOT_TEAM_SNAPSHOT === 'string' ? TEAMBOT_TEAM_SNAPSHOT : undefined;
}
