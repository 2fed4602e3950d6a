// Clients of the inspector server as an attacker or a tool would be, for the
// security tests: plain HTTP requests, WebSocket clients (the ws library, which
// sends an Origin only when told), and a raw TCP socket that never finishes its
// request. Every wait ends at a deadline that names what it waited for.
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { WebSocket } from 'ws';
import { withDeadline } from './processes.js';

/** withDeadline (support/processes.ts) with named arguments, as these tests read best. */
export function within<T>(promise: Promise<T>, { deadlineMs, what }: { deadlineMs: number; what: string }): Promise<T> {
  return withDeadline(promise, deadlineMs, what);
}

/** The parts of an address `teambot run --inspect` or `teambot inspect` printed. */
export function inspectorAddress(url: string) {
  const parsed = new URL(url);
  return { port: Number(parsed.port), prefix: parsed.pathname, origin: parsed.origin };
}

/** GET `path` from the inspector on `port`, with the headers given (Host defaults to 127.0.0.1:port). */
export function httpGet(port: number, path: string, headers: Record<string, string> = {}, deadlineMs = 10_000) {
  return within(new Promise<{ status: number; body: string }>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => { body += chunk.toString(); });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject).end();
  }), { deadlineMs, what: `the inspector to answer GET ${path} ${JSON.stringify(headers)}` });
}

/** A WebSocket client that records what it receives. */
export function wsClient(url: string, options: { origin?: string } = {}) {
  const socket = new WebSocket(url, options.origin === undefined ? {} : { origin: options.origin });
  const received: string[] = [];
  socket.on('message', (data) => received.push(data.toString()));
  // An attacker's client is refused: its error is the expected outcome, not a crash.
  socket.on('error', () => {});
  /** 'open', or the HTTP status the handshake was refused with (0 when the connection failed otherwise). */
  const outcome = new Promise<'open' | number>((resolve) => {
    socket.once('open', () => resolve('open'));
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      response.resume();
      socket.terminate();
    });
    socket.once('close', () => resolve(0));
  });
  return {
    socket,
    received,
    outcome: (deadlineMs = 10_000) => within(outcome, { deadlineMs, what: `the WebSocket handshake with ${url} to end` }),
    /** Resolves when the server has answered a ping sent now: it has read everything this client sent before. */
    roundTrip: (deadlineMs = 10_000) => within(new Promise<void>((resolve) => {
      socket.once('pong', () => resolve());
      socket.ping();
    }), { deadlineMs, what: `a pong from ${url}` }),
    closed: (deadlineMs = 10_000) => within(new Promise<number>((resolve) => {
      if (socket.readyState === WebSocket.CLOSED) resolve(0);
      else socket.once('close', (code) => resolve(code));
    }), { deadlineMs, what: `the server to close the WebSocket ${url}` }),
  };
}

/**
 * A connection that sends the start of a request and never the rest: a
 * half-open request, as a stalled or hostile client leaves it. Resolves once a
 * whole request on a second connection, made after this one sent its part, has
 * been answered: by then the server has accepted and read this one (it takes
 * connections and their data in the order they come), so it is a request in
 * progress there, not an idle connection that closing the server would drop.
 */
export async function halfOpenRequest(port: number, path: string, deadlineMs = 10_000): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  await within(new Promise<void>((resolve, reject) => {
    socket.once('connect', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`, () => resolve()));
    socket.once('close', () => reject(new Error(`the inspector closed the connection of a half-sent GET ${path}`)));
  }), { deadlineMs, what: `a connection to the inspector to send half a request` });
  const answered = await httpGet(port, path, {}, deadlineMs);
  if (socket.destroyed) throw new Error(`the half-open connection closed while GET ${path} was answered (${answered.status})`);
  return socket;
}
