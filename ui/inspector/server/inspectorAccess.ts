// Who may talk to the inspector server. It shows a run's every event and agent
// output line, so it is a trust boundary: any web page the user has open can make
// their browser send requests to 127.0.0.1, and any local process can connect.
// Three checks, all needed:
//   - Host: only 127.0.0.1:PORT or localhost:PORT, so a page elsewhere cannot
//     reach the server under its own name through DNS rebinding;
//   - the token: a random secret in the printed address (/t/<token>/…), which
//     other pages and processes cannot guess, required on every request and on
//     the WebSocket, browser or not;
//   - Origin: a browser names the page that opened a connection, and WebSockets
//     are not bound by the same-origin policy, so only the inspector's own origin
//     (and the Stately inspector's, when the user opts in) is accepted.
// Pure, except that newAccessToken draws random bytes.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The Stately inspector's web app, which can show the relayed inspection events. */
export const STATELY_ORIGIN = 'https://stately.ai';

/** A fresh unguessable token: 256 random bits, base64url (43 characters). */
export function newAccessToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Whether `given` is the token, in time that does not depend on where they
 * differ (both are hashed first, so not on their lengths either).
 * @example tokenMatches('abc', 'abc') // true
 */
export function tokenMatches(given: string, token: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(token));
}

/** The path every address of the inspector starts with. @example tokenPrefix('abc') // '/t/abc/' */
export function tokenPrefix(token: string): string {
  return `/t/${token}/`;
}

export interface AccessPolicy {
  readonly port: number;
  readonly token: string;
  /** Accept WebSocket connections from the Stately inspector (https://stately.ai): the user asked for it. */
  readonly allowStately: boolean;
}

/** What a request asks for, as far as access goes. */
export interface AccessRequest {
  readonly host: string | undefined;
  readonly origin: string | undefined;
  /** The request target as sent (path and query). */
  readonly url: string | undefined;
  readonly webSocket: boolean;
}

export type AccessDecision =
  | { readonly allowed: true; /** The path after the token, with its leading slash: '/', '/api/events'… */ readonly path: string }
  | { readonly allowed: false; readonly status: 403; readonly reason: string };

/**
 * Whether a request may be answered, and if so which path it asks for under
 * the token. A request without the right token learns nothing but that.
 *
 * @example decideAccess({ host: '127.0.0.1:8080', origin: undefined, url: '/t/abc/api/run', webSocket: false }, { port: 8080, token: 'abc', allowStately: false })
 * // { allowed: true, path: '/api/run' }
 */
export function decideAccess(request: AccessRequest, policy: AccessPolicy): AccessDecision {
  const hosts = [`127.0.0.1:${policy.port}`, `localhost:${policy.port}`];
  if (!hosts.includes(request.host ?? '')) return refused('forbidden host');
  if (request.origin !== undefined && !allowedOrigins(policy, request.webSocket).includes(request.origin)) {
    return refused('forbidden origin');
  }
  const match = /^\/t\/([^/?#]*)(\/[^?#]*)?/.exec(request.url ?? '');
  if (!match || !tokenMatches(decodeSegment(match[1]!), policy.token)) {
    return refused('forbidden: open the address teambot printed; it carries the access token');
  }
  return { allowed: true, path: match[2] ?? '' };
}

/** Origins whose pages may connect: the inspector's own; the Stately inspector's only on the WebSocket, and only when allowed. */
export function allowedOrigins(policy: Pick<AccessPolicy, 'port' | 'allowStately'>, webSocket: boolean): string[] {
  const own = [`http://127.0.0.1:${policy.port}`, `http://localhost:${policy.port}`];
  return webSocket && policy.allowStately ? [...own, STATELY_ORIGIN] : own;
}

function refused(reason: string): AccessDecision {
  return { allowed: false, status: 403, reason };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}
