import type { SetupReturn } from 'xstate';
import type { workflowSetup } from '../workflowSetup.js';

type WorkflowSetup = typeof workflowSetup;

/**
 * A state node as `workflowSetup` types it: actions, guards, actor sources,
 * context and events are all checked. The builders assemble these from data
 * and `compileWorkflow` hands them to `createMachine` as they are.
 */
export type StateConfig = Parameters<WorkflowSetup['createStateConfig']>[0];

/** The child states of a state node, by key. */
export type StatesConfig = NonNullable<StateConfig['states']>;

/** One transition (of `always`, `on`, `onDone`, `onError`). */
export type TransitionConfig = Exclude<NonNullable<StateConfig['always']>, string | readonly unknown[]>;

/** One invocation of an actor. */
export type InvokeConfig = Exclude<NonNullable<StateConfig['invoke']>, readonly unknown[]>;

/** An invocation of the stage actor, by its name in `workflowSetup`. */
export type StageAgentInvokeConfig = Extract<InvokeConfig, { src: 'stageAgent' }>;

/** A transition taken when the stage actor fails (its event is the actor's error). */
export type StageAgentErrorTransitionConfig = Exclude<NonNullable<StageAgentInvokeConfig['onError']>, string | readonly unknown[]>;

/**
 * The params each action of `workflowSetup` takes, by name, as `setup()` inferred
 * them. Every type parameter is matched with `infer`: matching some of them
 * against `any` instead makes the conditional type fail, and the fallback
 * would silently leave the names unchecked; the fallback here makes every
 * reference a compile error instead.
 */
export type WorkflowActionParams = WorkflowSetup extends SetupReturn<
  infer _Context, infer _Event, infer _Actors, infer _Children, infer TActions, infer _Guards,
  infer _Delay, infer _Tag, infer _Input, infer _Output, infer _Emitted, infer _StateMeta, infer _TransitionMeta
> ? TActions : { 'setup() action params could not be inferred': never };

/** The params each guard of `workflowSetup` takes, by name (see WorkflowActionParams). */
export type WorkflowGuardParams = WorkflowSetup extends SetupReturn<
  infer _Context, infer _Event, infer _Actors, infer _Children, infer _Actions, infer TGuards,
  infer _Delay, infer _Tag, infer _Input, infer _Output, infer _Emitted, infer _StateMeta, infer _TransitionMeta
> ? TGuards : { 'setup() guard params could not be inferred': never };

export type WorkflowActionName = keyof WorkflowActionParams & string;
export type WorkflowGuardName = keyof WorkflowGuardParams & string;

/** No argument for an implementation that takes no params, an optional one for optional params. */
type ParamsArgs<P> = unknown extends P ? [] : undefined extends P ? [params?: P] : [params: P];

/** A reference to a `setup()` action or guard: `{ type }`, with `params` when given. */
export type Ref<TName extends string, P> = unknown extends P ? { type: TName } : { type: TName; params: P };

/** Any action reference `action()` builds. */
export type ActionRef = { [K in WorkflowActionName]: Ref<K, WorkflowActionParams[K]> }[WorkflowActionName];

const ref = (type: string, params?: unknown) => (params ? { type, params } : { type });

/**
 * A reference to an action declared in `workflowSetup`: tsc checks the name and
 * the params against its implementation.
 *
 * @example action('markFailed', { stage: 'build' })
 */
export const action = <TName extends WorkflowActionName>(
  type: TName,
  ...params: ParamsArgs<WorkflowActionParams[TName]>
) => ref(type, params[0]) as Ref<TName, WorkflowActionParams[TName]>;

/**
 * A reference to a guard declared in `workflowSetup`: tsc checks the name and
 * the params against its implementation.
 *
 * @example guard('stageCompleted', { stage: 'build' })
 */
export const guard = <TName extends WorkflowGuardName>(
  type: TName,
  ...params: ParamsArgs<WorkflowGuardParams[TName]>
) => ref(type, params[0]) as Ref<TName, WorkflowGuardParams[TName]>;

/** The id of the top-level state that ends a run that did not complete. */
export const HALTED = '#teambot.halted';
