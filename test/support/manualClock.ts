import type { TimeoutClock } from '../../machines/runners/process/agentProcess.js';

/**
 * A timeout clock the test lets expire by hand, once the agent or command is seen running: its
 * timeout then never depends on how long node takes to start it.
 */
export function manualClock() {
  const pending = new Set<{ ms: number; onTimeout: () => void }>();
  const clock: TimeoutClock = {
    start(ms, onTimeout) {
      const timeout = { ms, onTimeout };
      pending.add(timeout);
      return () => pending.delete(timeout);
    },
  };
  return {
    clock,
    /** The durations of the timeouts running now. */
    running: () => [...pending].map((timeout) => timeout.ms),
    /** Lets every running timeout expire. */
    expire() {
      for (const timeout of [...pending]) {
        pending.delete(timeout);
        timeout.onTimeout();
      }
    },
  };
}
