import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  action,
  guard,
  type StateConfig,
  type TransitionConfig,
  type WorkflowActionName,
  type WorkflowActionParams,
  type WorkflowGuardName,
  type WorkflowGuardParams,
} from '../../../machines/workflow/states/stateConfig.js';

// The `@ts-expect-error` lines are the real test: `tsc --noEmit` (which covers test/)
// fails if any of them ever compiles, e.g. because the names widen to `string` again.
describe('action and guard references', () => {
  it('are checked by name against workflowSetup', () => {
    // @ts-expect-error a misspelt action is a compile error
    action('markFaild', { stage: 'build' });
    // @ts-expect-error a misspelt guard is a compile error
    guard('stageCompleeted', { stage: 'build' });
    // @ts-expect-error an action is not a guard
    guard('markFailed', { stage: 'build' });
    // @ts-expect-error a guard is not an action
    action('stageCompleted', { stage: 'build' });

    expectTypeOf<WorkflowActionName>().toEqualTypeOf<keyof WorkflowActionParams & string>();
    expectTypeOf<string>().not.toMatchTypeOf<WorkflowActionName>();
    expectTypeOf<string>().not.toMatchTypeOf<WorkflowGuardName>();
    expectTypeOf<'markFailed'>().toMatchTypeOf<WorkflowActionName>();
    expectTypeOf<'iterationsLeft'>().toMatchTypeOf<WorkflowGuardName>();
  });

  it('are checked by params against the implementation', () => {
    // @ts-expect-error the stage is a string
    action('markFailed', { stage: 1 });
    // @ts-expect-error markFailed needs its stage
    action('markFailed');
    // @ts-expect-error iterationsLeft needs its max
    guard('iterationsLeft', { stage: 'build' });
    // @ts-expect-error stopRun's status is a RunStatus
    action('stopRun', { status: 'oops', stages: [], reason: '' });
    // @ts-expect-error reviewApproved takes no params
    guard('reviewApproved', { stage: 'build' });

    expectTypeOf<WorkflowActionParams['markFailed']>().toEqualTypeOf<{ stage: string }>();
    expectTypeOf<WorkflowGuardParams['iterationsLeft']>().toEqualTypeOf<{ stage: string } & { max: number }>();
    expectTypeOf(action('markRunning', { stage: 'build' })).toEqualTypeOf<{
      type: 'markRunning';
      params: { stage: string } & { iteration?: number };
    }>();
  });

  it('are checked where a state config names them by string', () => {
    const approved: TransitionConfig = { guard: 'reviewApproved', target: 'done' };
    // @ts-expect-error a misspelt guard name in a transition is a compile error
    const misspeltGuard: TransitionConfig = { guard: 'reviewAproved', target: 'done' };
    // @ts-expect-error a misspelt action name in a state is a compile error
    const misspeltAction: StateConfig = { entry: { type: 'markFaild', params: { stage: 'build' } } };
    // @ts-expect-error the stage actor is invoked by its name in workflowSetup
    const misspeltActor: StateConfig = { invoke: { src: 'stageAgnt', input: undefined } };
    const referenced: StateConfig = {
      entry: [action('markFailed', { stage: 'build' }), { type: 'markFailed', params: { stage: 'build' } }],
      always: approved,
      invoke: { src: 'stageAgent', input: undefined },
    };
    expect([misspeltGuard, misspeltAction, misspeltActor, referenced]).toHaveLength(4);
  });

  it('build the same objects as before', () => {
    expect(action('markFailed', { stage: 'build' })).toEqual({ type: 'markFailed', params: { stage: 'build' } });
    expect(guard('iterationsLeft', { stage: 'build', max: 3 })).toEqual({ type: 'iterationsLeft', params: { stage: 'build', max: 3 } });
    expect(guard('reviewApproved')).toEqual({ type: 'reviewApproved' });
  });
});
