// POST /passwordless/start and POST /otp/challenge: authenticate the client, check the request, text a code.
import { isIP } from 'node:net';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { z } from 'zod';
import { hintsFromRequest } from '../../sms/templates/language.ts';
import type { ClientAuth } from './client-auth.ts';
import { type Auth0Error, startError } from './errors.ts';
import { authParamsSchema, type ChallengeBody, challengeBody, type StartBody, startBody } from './schemas.ts';
import type { NativeService, StartOutcome } from './service.ts';

export interface StartRoutesDeps {
  native: NativeService;
  authenticate: ClientAuth;
  /** Audiences accepted in authParams (Codeword's userinfo, as Auth0 names its own). */
  audienceAllowed(value: string): boolean;
  errors: Middleware;
  /** The OpenAPI document of this API. */
  document: Record<string, unknown>;
}

/** JSON or form, 16 kB at most; a body that does not parse is Auth0's `bad.request`. */
const body: Middleware = bodyParser({
  enableTypes: ['json', 'form'],
  jsonLimit: '16kb',
  formLimit: '16kb',
  jsonStrict: true,
  onError() {
    throw startError('bad.request', 'The body could not be parsed.');
  },
}) as unknown as Middleware;

function parse<T>(ctx: Context, schema: z.ZodType<T>): T {
  const raw = (ctx.request as { body?: unknown }).body;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw startError('bad.request');
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const unknown = issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : undefined;
  // A credential of the wrong type is a credential that failed.
  if (issue && ['client_secret', 'client_assertion', 'client_assertion_type'].includes(String(issue.path[0]))) throw startError('unauthorized_client');
  if (issue?.path[0] === 'client_id') throw startError('bad.client_id');
  throw startError('bad.request', unknown ? `Unknown property: ${unknown}.` : `Invalid property: ${issue?.path.join('.') ?? 'body'}.`);
}

export function startRoutes({ native, authenticate, audienceAllowed, errors, document }: StartRoutesDeps): Router {
  const router = new Router();

  router.get('/passwordless/openapi.json', (ctx) => {
    ctx.set('cache-control', 'no-cache');
    ctx.body = document;
  });

  /** Client, eligibility and connection checks shared by both endpoints, in the order Auth0 reports them. */
  async function admit(ctx: Context, b: StartBody | ChallengeBody) {
    const { client, confidential } = await authenticate(ctx, b);
    const allowed = await native.eligibility(client.clientId, client.grantTypes ?? []);
    if (!allowed.ok && allowed.reason !== 'connection_off') throw startError('unauthorized_client_grant');
    if (b.connection !== 'sms') throw startError('bad.connection', 'Only the "sms" connection exists.');
    if (!allowed.ok) throw startError('bad.connection', 'The SMS connection is not enabled for this client.');
    if (typeof b.phone_number !== 'string' || !b.phone_number) throw startError('bad.phone_number', 'Missing required property: phone_number.');
    // A backend acting for its users may name the user's IP, if an admin trusts it to (confidential clients only).
    const forwarded = ctx.get('auth0-forwarded-for').trim();
    const trusted = confidential && forwarded && isIP(forwarded) && (await native.trustsForwardedFor(client.clientId));
    return { clientId: client.clientId, applicationName: client.clientName ?? undefined, phone: b.phone_number, ip: trusted ? forwarded : ctx.ip || 'unknown', hints: hintsFromRequest(ctx) };
  }

  function refuse(outcome: Exclude<StartOutcome, { ok: true }>): Auth0Error {
    if (outcome.reason === 'wait') return startError('too_many_requests', undefined, { retryAfter: outcome.waitSeconds });
    return startError('bad.phone_number');
  }

  router.post('/passwordless/start', errors, body, async (ctx) => {
    const b = parse(ctx, startBody);
    const req = await admit(ctx, b);
    if (b.send !== undefined && b.send !== 'code') throw startError('bad.send');
    if (b.authParams !== undefined) {
      const ap = authParamsSchema.safeParse(b.authParams);
      const audience = ap.success ? (ap.data.audience ?? ap.data.resource) : undefined;
      if (!ap.success || (audience !== undefined && !audienceAllowed(audience))) throw startError('bad.authParams');
    }
    const outcome = await native.start(req, 'number');
    if (!outcome.ok) throw refuse(outcome);
    ctx.set('cache-control', 'no-store');
    ctx.body = { phone_number: outcome.phone, request_language: outcome.language };
  });

  router.post('/otp/challenge', errors, body, async (ctx) => {
    const b = parse(ctx, challengeBody);
    const req = await admit(ctx, b);
    if (b.delivery_method !== undefined && b.delivery_method !== 'text') throw startError('bad.delivery_method');
    const allowSignup = b.allow_signup === true || b.allow_signup === 'true';
    const outcome = await native.start({ ...req, noSignups: !allowSignup }, 'session');
    if (!outcome.ok) throw refuse(outcome);
    ctx.set('cache-control', 'no-store');
    ctx.body = { auth_session: outcome.flowId };
  });

  return router;
}
