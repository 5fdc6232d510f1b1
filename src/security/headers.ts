// Security headers for every response: a CSP without inline script, no framing, no sniffing, HSTS on https.
import type { ServerResponse } from 'node:http';
import helmet from 'helmet';
import type { Middleware } from 'koa';

/** The policy of every page; a route that must relax it builds its own header from this (see cspHeader). */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
  // form-action is left out: sign-in forms end in redirects to the relying party's origin.
});

/** A Content-Security-Policy header value from directives named as helmet names them (`scriptSrc` → `script-src`). */
export const cspHeader = (directives: Readonly<Record<string, readonly string[]>>): string =>
  Object.entries(directives)
    .map(([name, values]) => `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${values.join(' ')}`)
    .join(';');

export interface SecurityHeaders {
  /** Headers to set, as helmet writes them. */
  readonly set: readonly (readonly [string, string])[];
  /** Headers to remove (helmet's X-Powered-By). */
  readonly remove: readonly string[];
}

/**
 * Helmet's headers for our policy, worked out once: none of them depends on the request (no nonces, no per-request
 * directives), so every response gets the same list without running helmet's middlewares each time.
 */
export function securityHeaderList(https: boolean): SecurityHeaders {
  const set: [string, string][] = [];
  const remove: string[] = [];
  const recorder = {
    setHeader: (name: string, value: unknown) => void set.push([name, String(value)]),
    removeHeader: (name: string) => void remove.push(name),
  };
  let done = false;
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: Object.fromEntries(Object.entries(CSP_DIRECTIVES).map(([k, v]) => [k, [...v]])),
    },
    strictTransportSecurity: https ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
  })({} as never, recorder as never, (err?: unknown) => {
    if (err) throw err;
    done = true;
  });
  // helmet answers synchronously; if a later version did not, every response would miss its headers.
  if (!done || !set.length) throw new Error('security headers: helmet did not produce its headers');
  return { set, remove };
}

/** Sets the list on a Node response (the provider's endpoints, which do not cross Koa). */
export function applySecurityHeaders(res: ServerResponse, headers: SecurityHeaders): void {
  for (const name of headers.remove) res.removeHeader(name);
  for (const [name, value] of headers.set) res.setHeader(name, value);
}

export function securityHeaders(https: boolean, headers: SecurityHeaders = securityHeaderList(https)): Middleware {
  return (ctx, next) => {
    applySecurityHeaders(ctx.res, headers);
    return next();
  };
}
