import { describe, expect, it } from 'vitest';
import { decideAccess, newAccessToken, tokenMatches } from '../../../ui/inspector/server/inspectorAccess.js';

const token = newAccessToken();
const policy = { port: 8080, token, allowStately: false };
const request = (fields: Partial<Parameters<typeof decideAccess>[0]>) =>
  decideAccess({ host: '127.0.0.1:8080', origin: undefined, url: `/t/${token}/api/run`, webSocket: false, ...fields }, policy);

describe('the inspector\'s access rules', () => {
  it('makes a fresh 256-bit base64url token each time', () => {
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(newAccessToken()).not.toBe(token);
  });

  it('compares tokens whatever their lengths', () => {
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(`${token}x`, token)).toBe(false);
    expect(tokenMatches('', token)).toBe(false);
  });

  it('lets a request with the token through, telling the path under it', () => {
    expect(request({})).toEqual({ allowed: true, path: '/api/run' });
    expect(request({ url: `/t/${token}/` })).toEqual({ allowed: true, path: '/' });
    expect(request({ url: `/t/${token}` })).toEqual({ allowed: true, path: '' });
    expect(request({ url: `/t/${token}/api/run?x=1` })).toEqual({ allowed: true, path: '/api/run' });
    expect(request({ host: 'localhost:8080', origin: 'http://localhost:8080' })).toMatchObject({ allowed: true });
  });

  it.each([
    ['no token', { url: '/api/run' }],
    ['a wrong token', { url: '/t/abc/api/run' }],
    ['the token in the query only', { url: `/api/run?token=${token}` }],
    ['another host', { host: 'evil.example:8080' }],
    ['another port', { host: '127.0.0.1:9090' }],
    ['another origin', { origin: 'https://evil.example' }],
    ['the null origin', { origin: 'null' }],
    ['the Stately inspector without the opt-in', { origin: 'https://stately.ai', webSocket: true }],
    ['the Stately inspector over HTTP', { origin: 'https://stately.ai' }],
  ] as const)('refuses %s with 403', (_, fields) => {
    expect(request(fields)).toMatchObject({ allowed: false, status: 403 });
  });

  it('accepts the Stately inspector on the WebSocket when the user opted in', () => {
    const decision = decideAccess({ host: '127.0.0.1:8080', origin: 'https://stately.ai', url: `/t/${token}/ws`, webSocket: true }, { ...policy, allowStately: true });
    expect(decision).toEqual({ allowed: true, path: '/ws' });
  });
});
