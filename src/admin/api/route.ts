// One admin API operation as data: the edge guard's schemas (params, query, body, response) plus method, path, scope and the handler.
import type { z } from 'zod';
import type { GuardedInput, GuardSchemas } from '../../http/guard.ts';
import type { Actor } from '../services/actor.ts';

export type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

export interface RouteInput<P, Q, B> extends GuardedInput<P, Q, B> {
  actor: Actor;
}

const STATUS = Symbol('status');

/** A response body with a status other than the route's default (e.g. 200 when a save replaced rather than created). */
export interface WithStatus<T> {
  [STATUS]: number;
  body: T;
}

export const withStatus = <T>(status: number, body: T): WithStatus<T> => ({ [STATUS]: status, body });

export const isWithStatus = (v: unknown): v is WithStatus<unknown> => typeof v === 'object' && v !== null && STATUS in v;
export const statusOf = (v: WithStatus<unknown>): number => v[STATUS];

/** What a handler returns: the response body (anything, ignored, for 204). */
export type RouteResult<R> = R extends z.ZodType ? z.input<R> | WithStatus<z.input<R>> : unknown;

export interface RouteSpec<P, Q, B, R> extends GuardSchemas<P, Q, B, R> {
  method: Method;
  /** OpenAPI form, relative to /admin/api/v1, e.g. `/users/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** `read` accepts `admin` or `admin:read` tokens; `write` needs `admin`. */
  scope: 'read' | 'write';
  /** Success status (default 200, or 204 without a response). */
  status?: number;
  /** Other success statuses a handler may answer with (through withStatus), same body schema. */
  otherStatuses?: number[];
  /** Error statuses worth documenting beyond 400/401/403 (and 404 for paths with an id). */
  errors?: number[];
  handler(input: RouteInput<P, Q, B>): Promise<RouteResult<R>>;
}

/** A route with its schema types erased, as the router and the OpenAPI generator see it. */
export interface AnyRoute extends GuardSchemas<z.ZodType, z.ZodType, z.ZodType, z.ZodType> {
  method: Method;
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  scope: 'read' | 'write';
  status?: number;
  otherStatuses?: number[];
  errors?: number[];
  handler(input: { params: unknown; query: unknown; body: unknown; actor: Actor }): Promise<unknown>;
}

/** Declares a route; the schemas type the handler's input and output. */
export function defineRoute<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<P, Q, B, R>): AnyRoute {
  return spec as unknown as AnyRoute;
}
