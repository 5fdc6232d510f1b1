// Generates the OpenAPI 3.1 document from the route table: the same zod schemas the routes validate with, never by hand.
import { z } from 'zod';
import { errorCodes } from '../../errors.ts';
import type { AnyRoute } from './route.ts';

export const API_PREFIX = '/admin/api';
export const API_VERSION_PATH = '/v1';

type Json = Record<string, unknown>;

/** JSON Schema (draft 2020-12, which OpenAPI 3.1 uses) of what a request may send (`input`) or a response holds (`output`). */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  return rest;
}

/** Path or query parameters from an object schema: one entry per field, its description lifted up. */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => {
    const { description, ...fieldSchema } = jsonSchema(field, 'input');
    const required = where === 'path' || !field.safeParse(undefined).success;
    return { name, in: where, required, ...(description ? { description } : {}), schema: fieldSchema };
  });
}

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid request: a parameter or the body does not match the schema (details.issues lists every problem).',
  401: 'No bearer token, or an invalid or expired one.',
  403: 'The token lacks the scope this operation needs.',
  404: 'No such resource.',
  409: 'Conflicts with an existing resource.',
  415: 'The body is not JSON.',
  422: 'Well-formed but breaks a rule (e.g. SMS reset without the SMS factor).',
  503: 'SMS is not configured.',
};

const errorRef = { $ref: '#/components/schemas/Error' };

function operation(r: AnyRoute): Json {
  const status = r.status ?? (r.response ? 200 : 204);
  const errors = new Set([400, 401, 403, ...(r.path.includes('{') ? [404] : []), ...(r.body ? [415] : []), ...(r.errors ?? [])]);
  const success = r.response ? { description: 'Success', content: { 'application/json': { schema: jsonSchema(r.response, 'output') } } } : { description: 'Done; no content.' };
  const responses: Json = Object.fromEntries([status, ...(r.otherStatuses ?? [])].map((s) => [s, success]));
  for (const code of [...errors].sort()) {
    responses[code] = { description: ERROR_TEXT[code] ?? 'Error', content: { 'application/json': { schema: errorRef } } };
  }
  const params = [...parameters(r.params, 'path'), ...parameters(r.query, 'query')];
  return {
    operationId: r.operationId,
    summary: r.summary,
    tags: [r.tag],
    // Reads accept either scope; writes need `admin`.
    security: r.scope === 'read' ? [{ adminToken: ['admin:read'] }, { adminToken: ['admin'] }] : [{ adminToken: ['admin'] }],
    ...(params.length ? { parameters: params } : {}),
    ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } } } : {}),
    responses,
  };
}

export function buildOpenApi(routes: AnyRoute[], opts: { issuer: string }): Json {
  const paths: Record<string, Json> = {};
  for (const r of routes) {
    paths[r.path] ??= {};
    paths[r.path]![r.method] = operation(r);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Codeword admin API',
      version: '1',
      description:
        'Manage clients, users, SMS accounts, templates, the SMS connection and factor, policies, and read the SMS and audit logs. ' +
        'Authenticate with an access token from the client credentials grant (scope `admin`, or `admin:read` for reading). ' +
        'Lists take `limit` and `cursor` and return `{ items, nextCursor }`. Times are epoch milliseconds. Errors are `{ error, message, details }`.',
    },
    servers: [{ url: `${opts.issuer}${API_PREFIX}${API_VERSION_PATH}` }],
    components: {
      securitySchemes: {
        adminToken: {
          type: 'oauth2',
          flows: {
            clientCredentials: {
              tokenUrl: `${opts.issuer}/token`,
              scopes: { admin: 'Read and change everything the admin API offers.', 'admin:read': 'Read only.' },
            },
          },
        },
      },
      schemas: {
        Error: {
          type: 'object',
          properties: {
            error: { type: 'string', enum: errorCodes, description: 'Stable error code from a closed list, e.g. invalid_request, user_not_found, policy_sms_reset_needs_sms_factor.' },
            message: { type: 'string', description: 'What went wrong, in English, naming the field first when there is one.' },
            details: {
              type: 'object',
              description: 'Every field problem under `issues` (its dotted path and message, and its own code when it differs); `in` says whether the path, query or body was refused.',
              properties: {
                in: { type: 'string', enum: ['path', 'query', 'body'] },
                issues: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: { path: { type: 'string' }, message: { type: 'string' }, code: { type: 'string' } },
                    required: ['path', 'message'],
                  },
                },
              },
            },
          },
          required: ['error', 'message'],
        },
      },
    },
    paths,
  };
}
