/**
 * The most of an agent's output a stage keeps as its result (characters): what
 * the state file's `stage_outputs` stores and later stages' prompts quote. The
 * end is kept, where agents put their summary and reviewers their verdict; the
 * full output is in the stage's output file, which the kept text names.
 */
export const STAGE_OUTPUT_CAP = 256 * 1024;

/**
 * The stage's result from the tail of the agent's stdout: as it is when within
 * STAGE_OUTPUT_CAP and nothing was dropped, otherwise its last complete lines
 * within the cap after a line saying where the whole output is.
 *
 * @example capStageOutput(['…', 'done'], true, '.teambot/x/output/SPEC.log')
 * // '[teambot] the start of this output is left out; all of it is in .teambot/x/output/SPEC.log\n…\ndone'
 */
export function capStageOutput(lines: readonly string[], truncated: boolean, fullOutputPath: string | undefined, cap = STAGE_OUTPUT_CAP): string {
  const text = lines.join('\n');
  if (!truncated && text.length <= cap) return text;
  let kept = text.slice(-cap);
  const firstBreak = kept.indexOf('\n');
  if (text.length > cap && firstBreak !== -1) kept = kept.slice(firstBreak + 1);
  const where = fullOutputPath ? `; all of it is in ${fullOutputPath}` : '';
  return `[teambot] the start of this output is left out (a stage keeps its last ${cap / 1024} KiB)${where}\n${kept}`;
}
