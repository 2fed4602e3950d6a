import { findPersonaFile } from '../prompts/personaFile.js';
import { runAgentProcess } from './process/agentProcess.js';
import { expandedSetting, processOptionsFor, withExpandedModel, type ProcessRunnerOptions } from './processRunnerOptions.js';
import type { AgentRunner, AgentRunRequest } from './agentRunner.js';
import { agentSessionId } from './agentSession.js';
import { promptArgument, writePromptFile } from './promptDelivery.js';

/**
 * The argv for one Copilot CLI call (checked against GitHub Copilot CLI
 * 1.0.102's `copilot --help`): prompt mode, only the answer on stdout, every
 * tool allowed (required without a person to confirm), no colour, no
 * update check or questions, a stable session per stage and agent, the custom
 * agent (`persona`: the persona file found for the agent, personaFile.ts), and
 * the resolved model.
 *
 * @example copilotArgv('copilot', request, 'Do SPEC', session, 'builder') // [… '--agent', 'builder', …]
 */
export function copilotArgv(executable: string, request: AgentRunRequest, prompt: string, session: string, persona: string | null): string[] {
  return [
    executable,
    '-p', prompt,
    '--silent',
    '--allow-all-tools',
    '--no-color',
    '--no-auto-update',
    '--no-ask-user',
    '--session-id', session,
    ...(persona !== null ? ['--agent', persona] : []),
    ...(request.model ? ['--model', request.model] : []),
  ];
}

/**
 * `--runner copilot`: each agent call is a `copilot -p` process in the project root.
 * `${ENV}` placeholders in `executable` and the model are expanded at each call,
 * as preflight expands the executable to find it.
 */
export function createCopilotRunner(options: ProcessRunnerOptions & { readonly executable?: string | undefined }): AgentRunner {
  const env = options.env ?? process.env;
  const promptCounter = new Map<string, number>();
  return {
    async run(original) {
      const executable = expandedSetting(options.executable ?? 'copilot', original.stage, env, 'runner.executable');
      const request = withExpandedModel(original, env);
      const prompt = promptArgument(request.prompt, () =>
        writePromptFile(options.featureDir, request.cwd, request.stage, request.prompt, promptCounter));
      // `.github/agents/builder-1.agent.md`, else TeamBot's fallback `builder.agent.md`.
      const persona = findPersonaFile(request.cwd, request.agent)?.name ?? null;
      const session = agentSessionId(options.featureDir, request.stage, request.agent);
      return runAgentProcess({
        ...processOptionsFor(request, options),
        name: 'copilot',
        argv: copilotArgv(executable, request, prompt, session, persona),
        installHint: 'install it with `npm install -g @github/copilot`, then run `copilot` once to log in',
      });
    },
  };
}
