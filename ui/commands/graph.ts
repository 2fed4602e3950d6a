import { loadConfiguration } from '../../loader/loadConfiguration.js';
import { compileWorkflow } from '../../machines/workflow/compileWorkflow.js';
import { statechartGraph } from '../../machines/workflow/statechartGraph.js';
import type { CommandIo } from '../commandIo.js';
import { ExitCode } from '../exitCodes.js';
import { renderGraph, type GraphFormat } from '../graph/graphFormats.js';

export interface GraphOptions {
  readonly cwd: string;
  readonly projectRoot: string;
  readonly format: GraphFormat;
  readonly stages?: string | undefined;
  readonly config?: string | undefined;
  readonly sequential: boolean;
}

/**
 * `teambot graph`: compiles the workflow exactly as `run` would and prints its
 * statechart (mermaid, dot or JSON). Invalid configuration throws InputError,
 * which the CLI reports with exit 2.
 */
export async function graphCommand(options: GraphOptions, io: CommandIo): Promise<number> {
  const { stages } = await loadConfiguration({ cwd: options.cwd, projectRoot: options.projectRoot, env: io.env, stagesPath: options.stages, configPath: options.config });
  const machine = compileWorkflow(stages, { sequential: options.sequential });
  io.stdout.write(renderGraph(statechartGraph(machine), options.format));
  return ExitCode.ok;
}
