import { createWebSocketInspector } from '@statelyai/inspect';
import type { StagesConfig } from '../../../loader/stagesSchema.js';
import { compileWorkflow } from '../../../machines/workflow/compileWorkflow.js';
import type { RunEvent } from '../../../machines/session/runEvents.js';
import { withTransitionLabels } from '../../graph/graphLabels.js';
import { statechartGraph } from '../../../machines/workflow/statechartGraph.js';
import { startInspectorServer } from './inspectorServer.js';
import { stagesByGroup } from '../../../loader/parallelGroups.js';

/**
 * `teambot run --inspect`: the local inspector page for this run, fed live.
 * The actor is connected to @statelyai/inspect's WebSocket inspector, whose
 * inspection events the local server relays to the page (and to any Stately
 * inspector bridge that connects to the same WebSocket).
 */
export async function startLiveInspector(input: {
  stages: StagesConfig;
  sequential: boolean;
  title: string;
  feature: string;
  port?: number;
}) {
  const events: RunEvent[] = [];
  let status: string | null = null;
  let completedBefore: readonly string[] = [];
  const groups = stagesByGroup(input.stages);
  const server = await startInspectorServer({
    graph: withTransitionLabels(statechartGraph(compileWorkflow(input.stages, { sequential: input.sequential }))),
    run: () => ({
      mode: 'live', feature: input.feature, title: input.title, stage_order: input.stages.stage_order, groups, status,
      completed_before: completedBefore,
    }),
    events: () => events,
  }, input.port === undefined ? {} : { port: input.port });
  const inspector = createWebSocketInspector({ url: server.webSocketUrl });
  return {
    url: server.url,
    webSocketUrl: server.webSocketUrl,
    inspect: inspector.inspect,
    /** Stages a resumed run completed in earlier sessions. */
    setCompletedBefore(stages: readonly string[]): void {
      completedBefore = stages;
    },
    onEvent(event: RunEvent): void {
      events.push(event);
      if (event.type === 'run.completed') status = event.status;
      server.broadcast({ type: 'teambot.event', event });
    },
    async close(): Promise<void> {
      inspector.stop();
      await server.close();
    },
  };
}
