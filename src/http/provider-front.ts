// oidc-provider's endpoints at the Node level: the edges of a path, the client address and Host/protocol from ISSUER,
// then the provider's own Koa app. The app sends these requests here before building a Koa context of its own.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';

/**
 * A step before the provider for the paths it names (e.g. another name for the token endpoint, JSON bodies on it):
 * the request as the provider should see it, or undefined when the step answered it itself.
 */
export interface ProviderEdge {
  /**
   * Paths (without query) this edge acts on, each the provider's or another name for one of its endpoints: the app
   * routes them to the provider, through this edge; every other request never meets it.
   */
  readonly paths: readonly string[];
  handle(req: IncomingMessage, res: ServerResponse, path: string): IncomingMessage | undefined | Promise<IncomingMessage | undefined>;
}

/** oidc-provider's own endpoints (its default routes): none of our routers serves a path under them. */
const PROTOCOL_PATH = /^\/(?:auth|token|jwks|me|session|request|reg|device|backchannel|\.well-known\/openid-configuration)(?:\/|$)/;

/** The path of a request target in origin form (`/token?x` → `/token`); undefined for any other form (Koa parses those). */
export function pathOf(url: string | undefined): string | undefined {
  if (url?.charCodeAt(0) !== 47 /* / */) return undefined;
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** The client address as Koa's `ctx.ip` gives it with `proxy: hops > 0, maxIpsCount: hops` (the N-th X-Forwarded-For entry from the right). */
export function clientIp(req: IncomingMessage, hops: number): string {
  const header = hops > 0 ? req.headers['x-forwarded-for'] : undefined;
  const forwarded = Array.isArray(header) ? header.join(',') : header;
  if (forwarded) {
    const ips = forwarded.split(',').map((v) => v.trim()).slice(-hops);
    if (ips[0]) return ips[0];
  }
  return req.socket.remoteAddress ?? '';
}

/**
 * What the provider sees of a request: Host and protocol from ISSUER (so discovery and every URL it writes follow
 * the configured issuer, never a client's Host or X-Forwarded-Host), and the one client address we resolved.
 */
export function issuerHeaders(headers: IncomingHttpHeaders, issuer: URL, ip: string): void {
  headers.host = issuer.host;
  headers['x-forwarded-proto'] = issuer.protocol.slice(0, -1);
  headers['x-forwarded-for'] = ip;
  delete headers['x-forwarded-host'];
  delete headers.forwarded;
}

export interface ProviderFront {
  /** Whether a path is the provider's: its own endpoints and every edge's paths. */
  owns(path: string): boolean;
  /** Runs the edges of the path, then the provider (which answers, errors included). */
  handOver(req: IncomingMessage, res: ServerResponse, path: string, ip: string): Promise<void>;
}

export function createProviderFront(provider: Provider, issuer: URL, edges: readonly ProviderEdge[] = []): ProviderFront {
  const oidc = provider.callback();
  // Each path's edges, in the order given; a path no edge names goes straight to the provider.
  const byPath = new Map<string, ProviderEdge[]>();
  for (const edge of edges) for (const path of edge.paths) byPath.set(path, [...(byPath.get(path) ?? []), edge]);

  return {
    owns: (path) => PROTOCOL_PATH.test(path) || byPath.has(path),
    handOver(req, res, path, ip) {
      const list = byPath.get(path) ?? [];
      // Synchronous edges (the usual answer: nothing to change) add no promise of their own.
      const step = (i: number, r: IncomingMessage | undefined): Promise<void> | undefined => {
        if (!r) return undefined;
        if (i === list.length) {
          issuerHeaders(r.headers, issuer, ip);
          return oidc(r, res);
        }
        const next = list[i]!.handle(r, res, path);
        return next instanceof Promise ? next.then((n) => step(i + 1, n)) : step(i + 1, next);
      };
      return step(0, req) ?? Promise.resolve();
    },
  };
}
