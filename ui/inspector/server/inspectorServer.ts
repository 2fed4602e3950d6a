import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import { builtinFiles } from '../../../config/builtinFiles.js';
import type { RunEvent } from '../../../machines/session/runEvents.js';
import type { StatechartNode } from '../../../machines/workflow/statechartGraph.js';
import type { InspectorRun } from '../inspectorRun.js';

export interface InspectorSource {
  readonly graph: StatechartNode;
  readonly run: () => InspectorRun;
  readonly events: () => readonly RunEvent[];
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

/**
 * Serves the inspector page and its data on 127.0.0.1 (a free port unless one
 * is given), and a WebSocket at /ws that relays every message a client sends to
 * the other clients: the run's @statelyai/inspect WebSocket inspector sends its
 * inspection events there, and pages (ours, or a Stately inspector bridge)
 * receive them. Requests naming another host are refused, so a web page
 * elsewhere cannot reach the server through DNS rebinding.
 */
export async function startInspectorServer(source: InspectorSource, options: { port?: number } = {}) {
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const server = createServer((request, response) => {
    void handle(request, response).catch(() => send(response, 500, 'text/plain', 'internal error'));
  });
  async function handle(request: IncomingMessage, response: ServerResponse) {
    if (!allowedHosts().has(request.headers.host ?? '')) return send(response, 403, 'text/plain', 'forbidden host');
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'text/plain', 'method not allowed');
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/api/graph') return sendJson(response, source.graph);
    if (path === '/api/run') return sendJson(response, source.run());
    if (path === '/api/events') return sendJson(response, source.events());
    const page = PAGE_FILES[path];
    if (!page) return send(response, 404, 'text/plain', 'not found');
    return send(response, 200, page.type, await readFile(join(builtinFiles.root, ...page.dir, page.file)));
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
    path: '/ws',
    verifyClient: ({ req }: { req: IncomingMessage }) => allowedHosts().has(req.headers.host ?? ''),
  });
  sockets.on('connection', (socket) => {
    socket.on('message', (data) => {
      const text = data.toString();
      for (const client of sockets.clients) if (client !== socket && client.readyState === WebSocket.OPEN) client.send(text);
    });
  });

  return {
    url: `http://127.0.0.1:${port}/`,
    webSocketUrl: `ws://127.0.0.1:${port}/ws`,
    /** Sends a message to every page. */
    broadcast(message: unknown): void {
      const text = JSON.stringify(message);
      for (const client of sockets.clients) if (client.readyState === WebSocket.OPEN) client.send(text);
    },
    async close(): Promise<void> {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type InspectorServer = Awaited<ReturnType<typeof startInspectorServer>>;

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    // The page loads nothing from anywhere else.
    'content-security-policy': "default-src 'self'; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; img-src 'self' data:; style-src 'self' 'unsafe-inline'",
  });
  response.end(body);
}

function sendJson(response: ServerResponse, value: unknown): void {
  send(response, 200, 'application/json; charset=utf-8', JSON.stringify(value));
}
