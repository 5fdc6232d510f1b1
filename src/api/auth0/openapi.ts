// The passwordless API's operations for the OpenAPI document, from the same schemas the routes validate with.
import { z } from 'zod';
import { START_ERRORS } from './errors.ts';
import { challengeResponse, OTP_GRANT, startResponse } from './schemas.ts';

type Json = Record<string, unknown>;

const TAG = 'Passwordless API';
const toJson = (schema: z.ZodType): Json => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  return rest;
};

const auth0Error = { type: 'object', properties: { error: { type: 'string' }, error_description: { type: 'string' } }, required: ['error', 'error_description'] };

const credentials = {
  client_id: { type: 'string' },
  client_secret: { type: 'string', description: 'client_secret_post (or send Basic instead).' },
  client_assertion: { type: 'string', description: 'private_key_jwt: a signed JWT, aud the issuer or this URL.' },
  client_assertion_type: { const: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' },
};

function errorsOf(codes: readonly (keyof typeof START_ERRORS)[]): Json {
  const byStatus = new Map<number, string[]>();
  for (const c of codes) {
    const [status, text] = START_ERRORS[c];
    const name = c === 'unauthorized_client_grant' ? 'unauthorized_client' : c;
    byStatus.set(status, [...(byStatus.get(status) ?? []), `\`${name}\`: ${text}`]);
  }
  return Object.fromEntries([...byStatus].map(([s, lines]) => [s, { description: lines.join(' '), content: { 'application/json': { schema: auth0Error } } }]));
}

const body = (properties: Json, required: string[]) => {
  const schema = { type: 'object', additionalProperties: false, properties, required };
  return { required: true, content: { 'application/json': { schema }, 'application/x-www-form-urlencoded': { schema } } };
};

const ok = (schema: z.ZodType) => ({ description: 'Sent (or, for a number due no SMS, answered identically).', content: { 'application/json': { schema: toJson(schema) } } });

/** Paths at the issuer's root (each with its own server), to merge into the admin API's document. */
export function passwordlessApiPaths(issuerBase: string): Record<string, Json> {
  const servers = [{ url: issuerBase }];
  const common = ['bad.request', 'bad.client_id', 'bad.connection', 'bad.phone_number', 'unauthorized_client', 'unauthorized_client_grant', 'too_many_requests', 'temporarily_unavailable'] as const;
  return {
    '/passwordless/start': {
      servers,
      post: {
        operationId: 'passwordlessStart',
        tags: [TAG],
        summary: 'Text a sign-in code (Auth0-compatible)',
        security: [],
        parameters: [{ name: 'x-request-language', in: 'header', required: false, schema: { type: 'string' }, description: 'Language of the SMS, before accept-language.' }],
        requestBody: body(
          {
            ...credentials,
            connection: { const: 'sms' },
            phone_number: { type: 'string', description: 'E.164.' },
            send: { const: 'code', default: 'code' },
            authParams: { type: 'object', additionalProperties: false, properties: { scope: { type: 'string' }, state: { type: 'string' }, audience: { type: 'string' }, resource: { type: 'string' } } },
          },
          ['client_id', 'connection', 'phone_number'],
        ),
        responses: { 200: ok(startResponse), ...errorsOf([...common, 'bad.send', 'bad.authParams']) },
      },
    },
    '/otp/challenge': {
      servers,
      post: {
        operationId: 'otpChallenge',
        tags: [TAG],
        summary: 'Text a sign-in code and get an auth_session (Auth0-compatible)',
        security: [],
        requestBody: body(
          {
            ...credentials,
            connection: { const: 'sms' },
            phone_number: { type: 'string', description: 'E.164.' },
            allow_signup: { type: 'boolean', default: false, description: 'Can only narrow the connection\'s sign-up setting.' },
            delivery_method: { const: 'text' },
          },
          ['client_id', 'connection', 'phone_number'],
        ),
        responses: { 200: ok(challengeResponse), ...errorsOf([...common, 'bad.delivery_method']) },
      },
    },
    '/oauth/token': {
      servers,
      post: {
        operationId: 'passwordlessOtpToken',
        tags: [TAG],
        summary: 'Exchange the code for tokens (grant http://auth0.com/oauth/grant-type/passwordless/otp; also at /token)',
        security: [],
        requestBody: body(
          {
            ...credentials,
            grant_type: { const: OTP_GRANT },
            username: { type: 'string', description: 'The number, with realm "sms".' },
            realm: { const: 'sms' },
            auth_session: { type: 'string', description: 'Instead of username, from /otp/challenge.' },
            otp: { type: 'string' },
            scope: { type: 'string', default: 'openid' },
            audience: { type: 'string' },
            resource: { type: 'string' },
          },
          ['grant_type', 'otp'],
        ),
        responses: {
          200: { description: 'access_token, id_token (amr ["sms","otp"]), refresh_token with offline_access, expires_in, scope, token_type.' },
          400: { description: '`invalid_grant`: Wrong phone number or verification code. `invalid_request`: a parameter missing or a body that is not an object of strings. `unauthorized_client`: third-party client or SMS connection off.', content: { 'application/json': { schema: auth0Error } } },
          401: { description: '`invalid_client`: wrong client credentials.', content: { 'application/json': { schema: auth0Error } } },
          403: { description: '`mfa_required`: Multifactor authentication required. `access_denied`: Service not found.', content: { 'application/json': { schema: auth0Error } } },
          413: { description: '`invalid_request`: body over 56 kB.', content: { 'application/json': { schema: auth0Error } } },
          429: { description: '`too_many_attempts`: too many wrong codes for the number; see Retry-After.', content: { 'application/json': { schema: auth0Error } } },
        },
      },
    },
  };
}

/** A small OpenAPI 3.1 document of its own, served at `/passwordless/openapi.json`. */
export function passwordlessApiDocument(issuerBase: string): Json {
  return {
    openapi: '3.1.0',
    info: { title: 'Codeword passwordless API (Auth0-compatible)', version: '1', description: 'Sign-in by SMS for native and embedded apps. Errors are `{ error, error_description }`.' },
    servers: [{ url: issuerBase }],
    paths: passwordlessApiPaths(issuerBase),
  };
}
