import { stagesJsonSchema } from '../../loader/stagesSchema.js';
import type { CommandIo } from '../commandIo.js';
import { ExitCode } from '../exitCodes.js';

/**
 * `teambot schema`: the JSON Schema of stages.yaml, generated from the zod schema.
 *
 * @param indent spaces of indentation, already checked by the CLI (parseIndent)
 */
export function schemaCommand(indent: number, io: CommandIo): number {
  io.stdout.write(`${JSON.stringify(stagesJsonSchema(), null, indent)}\n`);
  return ExitCode.ok;
}
