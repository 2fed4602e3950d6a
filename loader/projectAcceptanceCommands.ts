import { findProjectTestCommand } from './projectTestCommand.js';
import type { StagesConfig } from './stagesSchema.js';
import type { DetectedTestCommand } from './testCommandDetection.js';

/** The command an acceptance-test stage runs, and whether it is the project's test command teambot found. */
export interface AcceptanceCommand {
  readonly argv: readonly string[];
  /** Set when stages.yaml names none and this is the project's own test command. */
  readonly detected?: DetectedTestCommand | undefined;
}

/**
 * The acceptance command of a stage: its acceptance_test_command, else the project's test
 * command filled in before the run; undefined when there is neither.
 *
 * @example acceptanceCommandOf(stages, 'ACCEPTANCE_TEST') // { argv: ['npm', 'test'], detected: { argv: […], source: 'package.json' } }
 */
export function acceptanceCommandOf(stages: StagesConfig, stageId: string): AcceptanceCommand | undefined {
  const written = stages.stages[stageId]?.acceptance_test_command;
  if (written && written.length > 0) return { argv: written };
  const detected = stages.detectedAcceptanceCommands?.[stageId];
  return detected ? { argv: detected.argv, detected } : undefined;
}

/**
 * The stages with the project's test command (findProjectTestCommand in `projectRoot`) recorded
 * for every acceptance-test stage without acceptance_test_command, as TeamBot's stages.yaml
 * has none: the run uses it, and its fingerprint (stagesFingerprint.ts) does not see it.
 * The same stages when nothing is missing or nothing is found.
 *
 * @example (await withProjectAcceptanceCommands(stages, '/repo')).detectedAcceptanceCommands // { ACCEPTANCE_TEST: { argv: ['npm', 'test'], source: 'package.json' } }
 */
export async function withProjectAcceptanceCommands(stages: StagesConfig, projectRoot: string): Promise<StagesConfig> {
  const missing = stages.stage_order.filter((id) => {
    const stage = stages.stages[id];
    return stage?.is_acceptance_test_stage && !(stage.acceptance_test_command && stage.acceptance_test_command.length > 0);
  });
  if (missing.length === 0) return stages;
  const detected = await findProjectTestCommand(projectRoot);
  if (!detected) return stages;
  return { ...stages, detectedAcceptanceCommands: Object.fromEntries(missing.map((id) => [id, detected])) };
}

/** `npm test` (the test command of package.json): how a note names a detected command. */
export function describeDetectedCommand(detected: DetectedTestCommand): string {
  return `\`${detected.argv.join(' ')}\` (the test command of ${detected.source})`;
}
