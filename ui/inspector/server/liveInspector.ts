import { createInspector } from '@statelyai/inspect';
import type { InspectionEvent } from 'xstate';
import type { StagesConfig } from '../../../loader/stagesSchema.js';
import { compileWorkflow } from '../../../machines/workflow/compileWorkflow.js';
import type { RunEvent } from '../../../machines/session/runEvents.js';
import { withTransitionLabels } from '../../graph/graphLabels.js';
import { statechartGraph } from '../../../machines/workflow/statechartGraph.js';
import { startInspectorServer } from './inspectorServer.js';
import { stagesByGroup } from '../../../loader/parallelGroups.js';
import { boundedJson } from './boundedJson.js';
import { liveEventBuffer } from './liveEventBuffer.js';

/**
 * `teambot run --inspect`: the local inspector page for this run, fed live.
 * The actor's XState inspection events (@statelyai/inspect's format) and the
 * run's events are broadcast by the server itself to every page on its
 * WebSocket, and to the Stately inspector when `allowStately` lets it connect.
 */
export async function startLiveInspector(input: {
  stages: StagesConfig;
  sequential: boolean;
  title: string;
  feature: string;
  port?: number;
  allowStately?: boolean;
}) {
  const events = liveEventBuffer();
  let status: string | null = null;
  let completedBefore: readonly string[] = [];
  const groups = stagesByGroup(input.stages);
  const server = await startInspectorServer({
    graph: withTransitionLabels(statechartGraph(compileWorkflow(input.stages, { sequential: input.sequential }))),
    run: () => ({
      mode: 'live', feature: input.feature, title: input.title, stage_order: input.stages.stage_order, groups, status,
      completed_before: completedBefore,
    }),
    events: () => events.jsonItems(),
  }, { ...(input.port === undefined ? {} : { port: input.port }), allowStately: input.allowStately === true });
  // Sent in-process rather than through a WebSocket client of our own: the server
  // takes nothing from its clients.
  const inspector = createInspector({
    send(inspectionEvent) {
      if (server.hasClients()) server.broadcastJson(boundedJson(inspectionEvent));
    },
  });
  return {
    url: server.url,
    webSocketUrl: server.webSocketUrl,
    /** The actor's inspection; converting an event costs a copy of the snapshot, not made while no page listens. */
    inspect(event: InspectionEvent): void {
      if (server.hasClients()) inspector.inspect.next?.(event);
    },
    /** Stages a resumed run completed in earlier sessions. */
    setCompletedBefore(stages: readonly string[]): void {
      completedBefore = stages;
    },
    onEvent(event: RunEvent): void {
      const json = JSON.stringify(event);
      events.add(event, json);
      if (event.type === 'run.completed') status = event.status;
      server.broadcastJson(`{"type":"teambot.event","event":${json}}`);
    },
    async close(): Promise<void> {
      inspector.stop();
      await server.close();
    },
  };
}
