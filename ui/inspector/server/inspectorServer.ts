import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import { builtinFiles } from '../../../config/builtinFiles.js';
import type { StatechartNode } from '../../../machines/workflow/statechartGraph.js';
import type { InspectorRun } from '../inspectorRun.js';
import { decideAccess, newAccessToken, tokenPrefix } from './inspectorAccess.js';
import { streamJsonArray } from './streamJsonArray.js';

export interface InspectorSource {
  readonly graph: StatechartNode;
  readonly run: () => InspectorRun;
  /** The JSON text of each event the page is to load, in order; streamed, so it may come from a file of any size. */
  readonly events: () => Iterable<string> | AsyncIterable<string>;
}

export interface InspectorServerOptions {
  readonly port?: number;
  /** Accept WebSocket connections from the Stately inspector's page (https://stately.ai). */
  readonly allowStately?: boolean;
}

/**
 * The only files the server hands out, all shipped in the package: the page's
 * HTML and CSS as written (ui/inspector/page/), its script as tsup bundled it
 * from the page's TypeScript modules (dist/inspector/).
 */
const PAGE_FILES: Readonly<Record<string, { dir: readonly string[]; file: string; type: string }>> = {
  '/': { dir: ['ui', 'inspector', 'page'], file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { dir: ['ui', 'inspector', 'page'], file: 'index.html', type: 'text/html; charset=utf-8' },
  '/inspector.css': { dir: ['ui', 'inspector', 'page'], file: 'inspector.css', type: 'text/css; charset=utf-8' },
  '/inspector.js': { dir: ['dist', 'inspector'], file: 'inspector.js', type: 'text/javascript; charset=utf-8' },
};

/** Limits that keep a client from holding the server (or teambot's exit) hostage. */
const LIMITS = {
  /** A request's headers must arrive within this. */
  headersTimeoutMs: 10_000,
  /** A whole request must arrive within this. */
  requestTimeoutMs: 30_000,
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: 5_000,
  /** Connections at once, WebSockets included; more are dropped on arrival. */
  maxConnections: 64,
  /** The largest WebSocket message a client may send (they are ignored anyway). */
  maxPayloadBytes: 4096,
  /** A page that does not keep up with the broadcast is dropped (it reconnects and reloads the events). */
  maxBufferedBytes: 16 << 20,
} as const;

/**
 * Serves the inspector page and its data on 127.0.0.1 (a free port unless one
 * is given) under a secret path, /t/<token>/ (see inspectorAccess.ts for who
 * may connect), and a WebSocket at /t/<token>/ws on which the server
 * broadcasts (pages, and the Stately inspector when allowed, listen); what
 * clients send there is ignored, so no client can speak to another.
 * Closing never waits for clients: their connections are destroyed.
 */
export async function startInspectorServer(source: InspectorSource, options: InspectorServerOptions = {}) {
  let port = 0;
  const token = newAccessToken();
  const access = (request: IncomingMessage, webSocket: boolean) => decideAccess({
    host: request.headers.host, origin: request.headers.origin, url: request.url, webSocket,
  }, { port, token, allowStately: options.allowStately === true });

  const server = createServer({
    headersTimeout: LIMITS.headersTimeoutMs,
    requestTimeout: LIMITS.requestTimeoutMs,
    keepAliveTimeout: LIMITS.keepAliveTimeoutMs,
  }, (request, response) => {
    void handle(request, response).catch(() => {
      if (!response.headersSent) send(response, 500, 'text/plain', 'internal error');
      else response.destroy();
    });
  });
  server.maxConnections = LIMITS.maxConnections;

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const decision = access(request, false);
    if (!decision.allowed) return send(response, decision.status, 'text/plain', decision.reason);
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'text/plain', 'method not allowed');
    // The page's files are addressed relative to its own: /t/<token> must end in a slash.
    if (decision.path === '') return redirect(response, tokenPrefix(token));
    const head = request.method === 'HEAD';
    if (decision.path === '/api/graph') return sendJson(response, source.graph, head);
    if (decision.path === '/api/run') return sendJson(response, source.run(), head);
    if (decision.path === '/api/events') {
      writeHeaders(response, 200, 'application/json; charset=utf-8');
      return head ? response.end() : streamJsonArray(response, source.events());
    }
    const page = PAGE_FILES[decision.path];
    if (!page) return send(response, 404, 'text/plain', 'not found');
    return send(response, 200, page.type, await readFile(join(builtinFiles.root, ...page.dir, page.file)), head);
  }

  // Listening first: the WebSocket server re-emits the HTTP server's errors, so a
  // port in use would otherwise reach it as an unhandled 'error' event rather
  // than reject here for the caller to report.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  port = (server.address() as AddressInfo).port;

  const sockets = new WebSocketServer({
    server,
    maxPayload: LIMITS.maxPayloadBytes,
    verifyClient: ({ req }: { req: IncomingMessage }, callback: (allowed: boolean, code?: number, reason?: string) => void) => {
      const decision = access(req, true);
      if (decision.allowed && decision.path === '/ws') callback(true);
      else callback(false, 403, decision.allowed ? 'not found' : decision.reason);
    },
  });
  sockets.on('connection', (socket) => {
    // Nothing a client sends is read, let alone passed on; a message over
    // maxPayload closes its socket, reported here rather than thrown.
    socket.on('error', () => socket.terminate());
  });

  const base = `127.0.0.1:${port}${tokenPrefix(token)}`;
  return {
    url: `http://${base}`,
    webSocketUrl: `ws://${base}ws`,
    /** Sends a message to every connected page; `json` is its JSON text. */
    broadcastJson(json: string): void {
      for (const client of sockets.clients) {
        if (client.readyState !== WebSocket.OPEN) continue;
        if (client.bufferedAmount > LIMITS.maxBufferedBytes) client.terminate();
        else client.send(json);
      }
    },
    /** Whether any page listens: a message nobody would receive need not be made. */
    hasClients(): boolean {
      return sockets.clients.size > 0;
    },
    async close(): Promise<void> {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A half-sent request or an idle keep-alive would otherwise hold close() (and teambot's exit) open.
      server.closeAllConnections();
      await closed;
    },
  };
}

export type InspectorServer = Awaited<ReturnType<typeof startInspectorServer>>;

function writeHeaders(response: ServerResponse, status: number, type: string, extra: Record<string, string> = {}): void {
  response.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    // The address carries the token: it is not to leave in a Referer.
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    // The page loads nothing from anywhere else, and no other page may frame it.
    'content-security-policy': "default-src 'self'; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
    ...extra,
  });
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer, head = false): void {
  writeHeaders(response, status, type);
  response.end(head ? undefined : body);
}

function sendJson(response: ServerResponse, value: unknown, head: boolean): void {
  send(response, 200, 'application/json; charset=utf-8', JSON.stringify(value), head);
}

function redirect(response: ServerResponse, location: string): void {
  writeHeaders(response, 308, 'text/plain', { location });
  response.end();
}
