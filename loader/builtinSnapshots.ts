import { parseJsonSource } from './jsonSource.js';
import type { StagesSnapshot } from './stagesSnapshot.js';
import type { TeamSnapshot } from './teamSnapshot.js';
import { validateStages } from './validateStages.js';
import { validateTeambotConfig } from './validateTeambotConfig.js';
import { parseYamlSource, yamlSnapshot } from './yamlSource.js';

/**
 * What the build (tsup.config.ts) bundles of the built-in config/stages.yaml: its text, data,
 * positions and, when valid, the workflow it validates to without a team of the user's (no roster).
 * Undefined for a text with problems: it is parsed, and its problems reported, at run time.
 *
 * @example stagesSnapshotOf(readFileSync('config/stages.yaml', 'utf8'))?.config?.stage_order[0] // 'SETUP'
 */
export function stagesSnapshotOf(text: string): StagesSnapshot | undefined {
  const parsed = yamlSnapshot(text);
  if (!parsed) return undefined;
  const { config, issues } = validateStages(parseYamlSource('stages.yaml', text), { source: 'built-in' });
  return { text, ...parsed, ...(config && issues.length === 0 ? { config } : {}) };
}

/**
 * What the build bundles of the built-in config/teambot.json: its text and the team it validates to,
 * when it has no problem and no warning but where its `teambot_dir` leads, which depends on the
 * project (checked at run time, teamSnapshot.ts).
 */
export function teamSnapshotOf(text: string): TeamSnapshot | undefined {
  const { config, issues, warnings } = validateTeambotConfig(parseJsonSource('teambot.json', text), { source: 'built-in' });
  return config && issues.length === 0 && warnings.length === 0 ? { text, config } : undefined;
}
