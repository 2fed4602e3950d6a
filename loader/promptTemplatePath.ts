import { dirname, resolve } from 'node:path';
import { builtinFiles } from '../config/builtinFiles.js';
import type { StageDefinition } from './stagesSchema.js';

/**
 * Where a stage's prompt_template is: relative to the directory of stages.yaml,
 * the package's config/ directory for the built-in one; null without a template.
 *
 * @example promptTemplatePath({ prompt_template: 'prompts/spec.md' }, '/repo/stages.yaml') // '/repo/prompts/spec.md'
 */
export function promptTemplatePath(stage: Pick<StageDefinition, 'prompt_template'>, stagesSource: string): string | null {
  if (!stage.prompt_template) return null;
  const stagesFile = stagesSource === 'built-in' ? builtinFiles.stages : stagesSource;
  return resolve(dirname(stagesFile), stage.prompt_template);
}
