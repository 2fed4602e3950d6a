import type { RunEvent } from '../../machines/session/runEvents.js';

/** mulberry32: the same sequence for the same seed, on every machine (kill points that replay). */
export function seededRandom(seed: number): () => number;

/** The size of a file in bytes, 0 when it does not exist yet: where a session's events begin in events.jsonl. */
export function fileSize(path: string): number;

/**
 * Waits until events.jsonl (`path`) holds, after byte `fromByte`, the `nth` complete line for
 * which `matches` holds, and returns that event.
 *
 * @param options.what      what is awaited, with enough context to replay it (seed, kill number)
 * @param options.timeoutMs fails after this long with `what`, how many matching lines came, and the last line
 * @param options.gaveUp    returns a reason to stop waiting (the process exited) or undefined
 * @throws Error naming `what` on the deadline or when `gaveUp` gives a reason
 */
export function waitForEventLine(path: string, options: {
  fromByte?: number; nth?: number; matches?: (event: RunEvent) => boolean;
  what: string; timeoutMs: number; gaveUp?: () => string | undefined;
}): Promise<RunEvent>;
