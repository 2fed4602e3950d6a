import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake server received: method, path, headers and body as text. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** What the fake answers one request with; `'hang'` never answers. */
export type FakeAnswer = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang';

/**
 * A local HTTP server on 127.0.0.1 that records every request and answers as
 * `answer` says (default 200 `{"ok":true}`), for Telegram and webhook tests.
 * `waitFor(n)` resolves once n requests arrived, or rejects after its deadline.
 */
export async function startFakeServer(answer: (request: RecordedRequest, index: number) => FakeAnswer = () => ({ status: 200, body: { ok: true } })) {
  const requests: RecordedRequest[] = [];
  const waiters: (() => void)[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded = { method: request.method ?? '', path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      for (const wake of waiters.splice(0)) wake();
      const reply = answer(recorded, requests.length - 1);
      if (reply === 'hang') {
        hanging.push(response);
        return;
      }
      response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      response.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** The JSON bodies received so far. */
    bodies: () => requests.map((request) => JSON.parse(request.body) as Record<string, unknown>),
    async waitFor(count: number, deadlineMs = 15_000): Promise<void> {
      const deadline = Date.now() + deadlineMs;
      while (requests.length < count) {
        if (Date.now() > deadline) throw new Error(`the fake server got ${requests.length} of ${count} requests`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
    async close(): Promise<void> {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
