import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../machines/session/runEvents.js';
import { serverAddresses } from '../../../ui/inspector/page/serverAddress.js';
import { boundedJson } from '../../../ui/inspector/server/boundedJson.js';
import { forgetSecrets, registerSecret } from '../../../loader/secretRegistry.js';
import { liveEventBuffer } from '../../../ui/inspector/server/liveEventBuffer.js';
import { streamJsonArray } from '../../../ui/inspector/server/streamJsonArray.js';

const output = (stage: string, line: string): RunEvent => ({ ts: 't', type: 'stage.output', stage, line });
const started = (stage: string): RunEvent => ({ ts: 't', type: 'stage.started', stage, agent: 'a', role: 'work' } as RunEvent);

describe('liveEventBuffer', () => {
  it('keeps every event but output, and the last lines of each stage\'s output, in order', () => {
    const buffer = liveEventBuffer(3);
    buffer.add(started('A'));
    for (let index = 0; index < 10; index++) buffer.add(output('A', `a${index}`));
    buffer.add(started('B'));
    buffer.add(output('B', 'b0'));
    buffer.add(output('A', 'a10'));
    const kept = buffer.jsonItems().map((json) => JSON.parse(json) as { type: string; stage: string; line?: string });
    expect(kept.map((event) => event.line ?? `${event.type} ${event.stage}`))
      .toEqual(['stage.started A', 'a8', 'a9', 'stage.started B', 'b0', 'a10']);
  });

  it('holds at most twice the tail of a stage however much output comes', () => {
    const buffer = liveEventBuffer(100);
    for (let index = 0; index < 100_000; index++) buffer.add(output('A', `line ${index}`));
    expect(buffer.jsonItems()).toHaveLength(100);
  });
});

describe('streamJsonArray', () => {
  it('writes the items as one JSON array, waiting when the stream is full', async () => {
    const out = new PassThrough({ highWaterMark: 16 });
    let text = '';
    out.on('data', (chunk: Buffer) => { text += chunk.toString(); });
    async function* items() {
      for (let index = 0; index < 1000; index++) yield JSON.stringify({ index });
    }
    await streamJsonArray(out, items());
    expect((JSON.parse(text) as unknown[]).length).toBe(1000);
    const empty = new PassThrough();
    let emptyText = '';
    empty.on('data', (chunk: Buffer) => { emptyText += chunk.toString(); });
    await streamJsonArray(empty, []);
    expect(emptyText).toBe('[]');
  });

  it('stops reading the items when the stream is closed', async () => {
    const out = new PassThrough({ highWaterMark: 1 });
    let read = 0;
    let finished = false;
    async function* items() {
      try {
        for (;;) {
          read += 1;
          yield '1';
        }
      } finally {
        finished = true;
      }
    }
    const streaming = streamJsonArray(out, items());
    out.destroy();
    await streaming;
    expect(finished).toBe(true);
    // One item was pulled before the closed stream was noticed; none after it.
    expect(read).toBe(1);
  });
});

describe('boundedJson', () => {
  it('writes cycles, functions, bigints and deep nesting as JSON', () => {
    const actor: Record<string, unknown> = { id: 'root', go: function go() {} };
    actor.self = actor;
    let deep: Record<string, unknown> = {};
    const top = deep;
    for (let depth = 0; depth < 20; depth++) deep = (deep.next = {}) as Record<string, unknown>;
    expect(JSON.parse(boundedJson({ actor, n: 10n, top, skipped: undefined }))).toMatchObject({
      actor: { id: 'root', go: { type: 'go' }, self: '[circular]' }, n: '10',
    });
    expect(boundedJson(top, 3)).toBe('{"next":{"next":{"next":"[…]"}}}');
    expect(boundedJson({ ref: { toJSON: () => ({ xstate$$type: 1, id: 'x' }) } })).toBe('{"ref":{"xstate$$type":1,"id":"x"}}');
  });

  it('redacts every secret teambot expanded from the environment, as events.jsonl does', () => {
    registerSecret('tok-123456-secret');
    try {
      const context = { stages: { SPEC: { error: 'agent exited: --api-key tok-123456-secret rejected' } } };
      expect(boundedJson({ snapshot: { context } })).toBe('{"snapshot":{"context":{"stages":{"SPEC":{"error":"agent exited: --api-key *** rejected"}}}}}');
    } finally {
      forgetSecrets();
    }
  });
});

describe('serverAddresses', () => {
  it('finds the data and the WebSocket beside the page, under its token', () => {
    expect(serverAddresses({ protocol: 'http:', host: '127.0.0.1:8080', pathname: '/t/abc/' })).toEqual({
      graph: '/t/abc/api/graph', run: '/t/abc/api/run', events: '/t/abc/api/events', webSocket: 'ws://127.0.0.1:8080/t/abc/ws',
    });
    expect(serverAddresses({ protocol: 'https:', host: 'h', pathname: '/t/abc/index.html' }).webSocket).toBe('wss://h/t/abc/ws');
  });
});
