// The edge guard: one zod schema per route for params, query, body and response; input is parsed once, here, and handlers get it typed.
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import { AppError, type ErrorCode, type Issue, issuesOf, parseWith } from '../errors.ts';
import type { Logger } from '../logger.ts';

export type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** The schemas of one route; any may be left out (that part is then not read). */
export interface GuardSchemas<P = unknown, Q = unknown, B = unknown, R = unknown> {
  params?: P;
  query?: Q;
  body?: B;
  /** What the route answers with; a response that breaks it is never sent. */
  response?: R;
}

/** What a guarded handler receives: each part parsed by its schema. */
export interface GuardedInput<P, Q, B> {
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
}

/** Parses the parts of a request the schemas name; a failure is one AppError (400 by default) listing every issue and where. */
export function parseRequest<P, Q, B>(ctx: Context, schemas: GuardSchemas<P, Q, B>, code: ErrorCode = 'invalid_request'): GuardedInput<P, Q, B> {
  const part = (schema: unknown, value: unknown, where: 'path' | 'query' | 'body') =>
    schema ? parseWith(schema as z.ZodType, value, code, { in: where }) : undefined;
  return {
    params: part(schemas.params, ctx.params, 'path'),
    query: part(schemas.query, ctx.query, 'query'),
    body: part(schemas.body, (ctx.request as { body?: unknown }).body ?? {}, 'body'),
  } as GuardedInput<P, Q, B>;
}

/**
 * Checks a response against its schema; a mismatch is our bug: logged, answered as an unexposed 500, never sent.
 * Without a logger the error itself names the operation and the issues (the error middleware logs every 5xx).
 */
export function checkResponse<R extends z.ZodType>(schema: R, value: unknown, logger: Logger | undefined, name: string): z.output<R> {
  const out = schema.safeParse(value);
  if (out.success) return out.data;
  const issues = issuesOf(out.error);
  logger?.error({ operation: name, issues }, 'response does not match its schema');
  throw new AppError('server_error', 500, { message: `${name}: response does not match its schema: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}` });
}

export interface JsonRoute<P, Q, B, R> extends GuardSchemas<P, Q, B, R> {
  /** Names the route in logs. */
  name: string;
  handler(input: GuardedInput<P, Q, B>, ctx: Context): Promise<R extends z.ZodType ? z.input<R> : unknown>;
}

/** A guarded JSON endpoint (status JSON, callbacks, any new endpoint): parse in, check out, answer `no-store` JSON. */
export function jsonRoute<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R extends z.ZodType | undefined = undefined,
>(route: JsonRoute<P, Q, B, R>, logger?: Logger): Middleware {
  return async (ctx) => {
    const result = await route.handler(parseRequest(ctx, route), ctx);
    ctx.set('cache-control', 'no-store');
    if (!route.response) {
      if (result === undefined) ctx.status = 204;
      else ctx.body = result;
      return;
    }
    ctx.body = checkResponse(route.response, result, logger, route.name);
  };
}

type FieldsOut<F, B> = F extends z.ZodType ? z.output<F> : Out<B>;

export interface FormRoute<P, B, F, L> {
  params?: P;
  /** The shape of the post: known fields, strings of bounded size. A violation is a tampered or broken post: the error page (400). */
  body: B;
  /** Runs before the field rules (e.g. loads the flow and checks CSRF): what must hold before a screen may be re-rendered. */
  load(ctx: Context, input: { params: Out<P>; body: Out<B> }): Promise<L>;
  /** The rules a person can fix (required, lengths, formats), on the shaped body; a violation re-renders the screen. */
  fields?: F;
  /** Re-renders the same screen with every issue beside its field (answer 400 or 422); without it a field issue is a broken form. */
  invalid?(ctx: Context, issues: Issue[], input: { params: Out<P>; body: Out<B>; loaded: L }): Promise<unknown>;
  handler(ctx: Context, input: { params: Out<P>; body: Out<B>; fields: FieldsOut<F, B>; loaded: L }): Promise<unknown>;
}

/** A guarded hosted form post: shape errors go to the error page, field errors back to the same screen beside their field. */
export function formRoute<P extends z.ZodType | undefined, B extends z.ZodType, F extends z.ZodType | undefined, L>(route: FormRoute<P, B, F, L>): Middleware {
  return async (ctx) => {
    const { params, body } = parseRequest(ctx, { params: route.params, body: route.body }, 'bad_form') as { params: Out<P>; body: Out<B> };
    const loaded = await route.load(ctx, { params, body });
    let fields: unknown = body;
    if (route.fields) {
      const parsed = route.fields.safeParse(body);
      if (!parsed.success) {
        if (!route.invalid) throw new AppError('bad_form', 400);
        await route.invalid(ctx, issuesOf(parsed.error), { params, body, loaded });
        return;
      }
      fields = parsed.data;
    }
    await route.handler(ctx, { params, body, fields: fields as FieldsOut<F, B>, loaded });
  };
}

/** Schemas for form bodies: a single text field (absent allowed), and one that may arrive repeated (left for the field rules to refuse). */
export const formText = (max = 4096) => z.string().max(max).optional();
export const formValue = (max = 4096) => z.union([z.string().max(max), z.array(z.string().max(max)).max(20)]).optional();
