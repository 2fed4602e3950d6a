// Kept free of dependencies: the CLI's option parser lists these before anything heavy loads.

/** Who does a run's work: the Copilot CLI, any agent CLI from an argv template, or simulated agents. */
export const RUNNER_NAMES = ['copilot', 'command', 'simulated'] as const;
export type RunnerName = (typeof RUNNER_NAMES)[number];

export function isRunnerName(name: string): name is RunnerName {
  return (RUNNER_NAMES as readonly string[]).includes(name);
}
