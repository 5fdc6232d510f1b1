// One admin API operation as data: method, path, scope, zod schemas (params, query, body, response) and the handler.
import type { z } from 'zod';
import type { Actor } from '../services/actor.ts';

export type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<P, Q, B> {
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
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

export interface RouteSpec<P, Q, B, R> {
  method: Method;
  /** OpenAPI form, relative to /admin/api/v1, e.g. `/users/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** `read` accepts `admin` or `admin:read` tokens; `write` needs `admin`. */
  scope: 'read' | 'write';
  params?: P;
  query?: Q;
  body?: B;
  /** Response body schema; none for 204. */
  response?: R;
  /** Success status (default 200, or 204 without a response). */
  status?: number;
  /** Other success statuses a handler may answer with (through withStatus), same body schema. */
  otherStatuses?: number[];
  /** Error statuses worth documenting beyond 400/401/403 (and 404 for paths with an id). */
  errors?: number[];
  handler(input: RouteInput<P, Q, B>): Promise<RouteResult<R>>;
}

/** A route with its schema types erased, as the router and the OpenAPI generator see it. */
export interface AnyRoute {
  method: Method;
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  scope: 'read' | 'write';
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response?: z.ZodType;
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
