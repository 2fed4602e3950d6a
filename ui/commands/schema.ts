import { stagesJsonSchema } from '../../loader/stagesSchema.js';
import type { CommandIo } from '../commandIo.js';
import { ExitCode } from '../exitCodes.js';

/** `teambot schema`: the JSON Schema of stages.yaml, generated from the zod schema. */
export function schemaCommand(indent: number, io: CommandIo): number {
  const spaces = Number.isInteger(indent) && indent >= 0 && indent <= 8 ? indent : 2;
  io.stdout.write(`${JSON.stringify(stagesJsonSchema(), null, spaces)}\n`);
  return ExitCode.ok;
}
