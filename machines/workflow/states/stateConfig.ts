/**
 * The shape of the state nodes the builders generate. The workflow is compiled
 * from data, so XState's literal-type inference cannot follow it; builders use
 * this plain shape and `compileWorkflow` hands the result to `createMachine` once.
 */
export type StateConfig = Record<string, unknown>;

/** A parameterized action or guard reference, as `setup()` declares them by name. */
export const ref = <P extends object>(type: string, params?: P) => (params ? { type, params } : { type });

/** The id of the top-level state that ends a run that did not complete. */
export const HALTED = '#teambot.halted';
