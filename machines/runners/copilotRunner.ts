import { existsSync } from 'node:fs';
import { join } from 'node:path';
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
 * agent when `.github/agents/<id>.agent.md` exists, and the resolved model.
 */
export function copilotArgv(executable: string, request: AgentRunRequest, prompt: string, session: string, hasAgentFile: boolean): string[] {
  return [
    executable,
    '-p', prompt,
    '--silent',
    '--allow-all-tools',
    '--no-color',
    '--no-auto-update',
    '--no-ask-user',
    '--session-id', session,
    ...(hasAgentFile ? ['--agent', request.agent] : []),
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
      const hasAgentFile = existsSync(join(request.cwd, '.github', 'agents', `${request.agent}.agent.md`));
      const session = agentSessionId(options.featureDir, request.stage, request.agent);
      return runAgentProcess({
        ...processOptionsFor(request, options),
        name: 'copilot',
        argv: copilotArgv(executable, request, prompt, session, hasAgentFile),
        installHint: 'install it with `npm install -g @github/copilot`, then run `copilot` once to log in',
      });
    },
  };
}
