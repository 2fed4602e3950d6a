import { expandEnvPlaceholders } from '../../loader/envPlaceholders.js';
import { runAgentProcess } from './process/agentProcess.js';
import { findPersonaFile, personaPreamble } from '../prompts/personaFile.js';
import { AgentRunError, type AgentRunner, type AgentRunRequest } from './agentRunner.js';
import { agentSessionId } from './agentSession.js';
import { processOptionsFor, withExpandedModel, type ProcessRunnerOptions } from './processRunnerOptions.js';
import { promptArgument, writePromptFile } from './promptDelivery.js';

const PLACEHOLDER = /\{(prompt|prompt_file|agent|model|stage|session)\}/g;

/**
 * Fills an argv template from teambot.json (`"argv": ["claude", "-p", "{prompt}"]`):
 * {prompt} (the prompt, or for a prompt too long for one argument the instruction
 * to read its file), {prompt_file}, {agent}, {model}, {stage}, {session}, and
 * `${ENV}` placeholders from the environment. Each template entry stays one
 * argument: there is no shell, so nothing is split or interpreted.
 */
export function commandArgv(
  template: readonly string[],
  request: AgentRunRequest,
  values: { prompt: () => string; promptFile: () => string; session: string },
  env: NodeJS.ProcessEnv,
): string[] {
  return template.map((part, index) => expandEnvPlaceholders(part, env, `runner.argv[${index}]`).replace(PLACEHOLDER, (_, name: string) => {
    switch (name) {
      case 'prompt': return values.prompt();
      case 'prompt_file': return values.promptFile();
      case 'agent': return request.agent;
      case 'model': return request.model ?? '';
      case 'stage': return request.stage;
      default: return values.session;
    }
  }));
}

/**
 * `runner.type: command`: any agent CLI (Claude Code, Codex…) through an argv
 * template; `${ENV}` in every entry (the program included) and in the model is
 * expanded at each call. Such CLIs know nothing of `.github/agents/`, so the
 * agent's persona file (personaFile.ts) is put at the top of the prompt.
 */
export function createCommandRunner(options: ProcessRunnerOptions & { readonly argv: readonly string[] }): AgentRunner {
  const promptCounter = new Map<string, number>();
  const env = options.env ?? process.env;
  return {
    async run(original) {
      const request = withPersona(withExpandedModel(original, env));
      let promptFile: string | undefined;
      const fileOnce = () => (promptFile ??= writePromptFile(options.featureDir, request.cwd, request.stage, request.prompt, promptCounter));
      let argv: string[];
      try {
        argv = commandArgv(options.argv, request, {
          prompt: () => promptArgument(request.prompt, fileOnce),
          promptFile: fileOnce,
          session: agentSessionId(options.featureDir, request.stage, request.agent),
        }, env);
      } catch (error) {
        throw new AgentRunError((error as Error).message, request.stage);
      }
      return runAgentProcess({
        ...processOptionsFor(request, options),
        name: argv[0]!,
        argv,
        installHint: 'install it, or fix runner.argv in teambot.json',
      });
    },
  };
}

/** The request with the agent's persona, when it has a readable one, in front of its prompt. */
function withPersona(request: AgentRunRequest): AgentRunRequest {
  const file = findPersonaFile(request.cwd, request.agent);
  const preamble = file ? personaPreamble(file) : null;
  return preamble === null ? request : { ...request, prompt: `${preamble}${request.prompt}` };
}
