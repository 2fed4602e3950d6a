/// <reference lib="dom" />
// A live run: events are loaded over HTTP first, then the WebSocket brings the
// rest. Each (re)connection loads /api/events again, so nothing sent while the
// socket was down is missed; socket messages that arrive meanwhile wait in a
// buffer and are applied once, after the events they may repeat.
import { snapshotActiveIds } from './activeStates.js';
import { byId } from './dom.js';
import type { RunEvent } from '../../../machines/session/runEvents.js';
import type { PageState } from './pageState.js';
import { isFinished } from './runState.js';
import { currentRunEvents, eventKey, isRunEvent } from './serverData.js';

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 10_000;

/** Connects to the server's WebSocket, and again whenever it drops; `changed` is called on every change. */
export function connectLive(
  app: PageState, server: { webSocketUrl: string; fetchEvents: () => Promise<unknown> }, changed: () => void,
): void {
  const { fetchEvents } = server;
  let reconnectAttempt = 0;

  const connect = () => {
    const socket = new WebSocket(server.webSocketUrl);
    let buffer: unknown[] | null = [];
    setConnection('connecting');

    socket.addEventListener('open', async () => {
      reconnectAttempt = 0;
      // The server may have restarted with a new actor: recognise the root again.
      app.rootSession = null;
      setConnection('connected');
      try {
        const events = currentRunEvents(await fetchEvents());
        const known = new Set(events.map(eventKey));
        app.events = events;
        const waiting = buffer ?? [];
        buffer = null;
        for (const message of waiting) {
          if (isEventMessage(message) && known.has(eventKey(message.event))) continue;
          handleMessage(message);
        }
        changed();
      } catch (error) {
        console.warn('inspector: could not reload events', error);
        const waiting = buffer ?? [];
        buffer = null;
        waiting.forEach(handleMessage);
      }
    });
    socket.addEventListener('message', (message: MessageEvent) => {
      let data: unknown;
      try {
        data = JSON.parse(String(message.data));
      } catch {
        return; // not ours
      }
      if (buffer) buffer.push(data);
      else handleMessage(data);
    });
    socket.addEventListener('close', () => {
      if (isFinished(app.derived) || app.liveFinished) {
        setConnection('run finished');
        return;
      }
      // Back off, with jitter, so a restarting server is not hammered.
      const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** reconnectAttempt) * (0.8 + Math.random() * 0.4);
      reconnectAttempt += 1;
      setConnection(`reconnecting in ${Math.ceil(delay / 1000)} s`);
      setTimeout(connect, delay);
    });
  };

  const handleMessage = (message: unknown) => {
    if (!message || typeof message !== 'object') return;
    if (isEventMessage(message)) applyLiveEvent(message.event);
    else if ((message as { type?: unknown }).type === '@xstate.snapshot') applySnapshot(message as Record<string, unknown>);
  };

  const applyLiveEvent = (event: RunEvent) => {
    if (event.type === 'run.started') {
      // A new run of the feature: start over, and forget the old run's actor.
      app.events = [];
      app.snapshotIds = null;
      app.rootSession = null;
      app.liveFinished = false;
    }
    app.events.push(event);
    if (event.type === 'run.completed') app.liveFinished = true;
    changed();
  };

  /** Only the root actor's snapshots say where the workflow is; a snapshot of another system is not this run. */
  const applySnapshot = (message: Record<string, unknown>) => {
    const system = message.rootId ?? message.sessionId;
    const value = (message.snapshot as { value?: unknown } | undefined)?.value;
    if (typeof system !== 'string' || value === undefined) return;
    if (typeof value === 'string' || (value !== null && typeof value === 'object')) app.rootSession ??= system;
    const ids = snapshotActiveIds(message, app.rootSession ?? system, app.graph.root.id);
    if (!ids) return;
    app.snapshotIds = new Set(ids);
    changed();
  };

  connect();
}

function isEventMessage(message: unknown): message is { type: 'teambot.event'; event: RunEvent } {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'teambot.event'
    && isRunEvent((message as { event?: unknown }).event);
}

function setConnection(text: string): void {
  byId('connection-fact').hidden = false;
  byId('connection').textContent = text;
  byId('connection').dataset.state = text.split(' ')[0] ?? '';
}
