// Where the page finds its data. The server serves everything under a secret
// path that the printed address carries (/t/<token>/), so the page takes the
// token from its own address and asks for the rest beside itself. Pure: no DOM.

/** The page's data and WebSocket addresses, from where the page itself was loaded. */
export interface ServerAddresses {
  readonly graph: string;
  readonly run: string;
  readonly events: string;
  readonly webSocket: string;
}

/**
 * @example serverAddresses({ protocol: 'http:', host: '127.0.0.1:8080', pathname: '/t/abc/' }).webSocket
 * // 'ws://127.0.0.1:8080/t/abc/ws'
 */
export function serverAddresses(page: { readonly protocol: string; readonly host: string; readonly pathname: string }): ServerAddresses {
  // The directory of the page (/t/<token>/ for /t/<token>/ and /t/<token>/index.html).
  const base = page.pathname.slice(0, page.pathname.lastIndexOf('/') + 1) || '/';
  const scheme = page.protocol === 'https:' ? 'wss' : 'ws';
  return {
    graph: `${base}api/graph`,
    run: `${base}api/run`,
    events: `${base}api/events`,
    webSocket: `${scheme}://${page.host}${base}ws`,
  };
}
