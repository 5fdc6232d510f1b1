// The edge guard: each input parsed once where it enters, every failed field reported, responses checked, form posts split by kind of error.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Context } from 'koa';
import { z } from 'zod';
import { userCreateInput } from '../../src/admin/services/schemas/users.ts';
import { AppError, type ErrorCode, type Issue, isErrorCode, parseWith } from '../../src/errors.ts';
import { formRoute, formText, formValue, jsonRoute, parseRequest } from '../../src/http/guard.ts';
import type { Logger } from '../../src/logger.ts';
import { failure } from '../helpers/errors.ts';

const fakeCtx = (parts: { params?: unknown; query?: unknown; body?: unknown } = {}) => {
  const headers: Record<string, string> = {};
  return {
    params: parts.params ?? {},
    query: parts.query ?? {},
    request: { body: parts.body },
    status: 404,
    body: undefined as unknown,
    set: (k: string, v: string) => {
      headers[k] = v;
    },
    headers,
  } as unknown as Context & { headers: Record<string, string> };
};

const quietLogger = () => {
  const errors: unknown[] = [];
  return { logger: { error: (o: unknown) => errors.push(o) } as unknown as Logger, errors };
};

const run = async (mw: (ctx: Context, next: () => Promise<void>) => unknown, ctx: Context) => {
  await mw(ctx, async () => {});
};

describe('edge guard', () => {
  it('reports every failed field, with its path and where it came from', async () => {
    const ctx = fakeCtx({ params: { id: '' }, body: { email: 'nope', roles: ['Bad Role'], colour: 'red' } });
    const e = await failure((async () => parseRequest(ctx, { params: z.object({ id: z.string().min(1) }), body: userCreateInput }))());
    expect(e).to.include({ code: 'invalid_request', status: 400, expose: true });
    expect(e.details).to.deep.include({ in: 'path' });
    const body = (await failure((async () => parseRequest(fakeCtx({ body: { email: 'nope', roles: ['Bad Role'], colour: 'red' } }), { body: userCreateInput }))()));
    const paths = (body.details as { in: string; issues: Issue[] }).issues.map((i) => i.path);
    expect(body.details).to.deep.include({ in: 'body' });
    expect(paths).to.include.members(['email', 'roles.0', 'colour']);
  });

  it('parses the console and CLI input with the same per-operation schema and the one helper', async () => {
    const e = (await failure((async () => parseWith(userCreateInput, { email: 'nope', roles: ['Bad Role'] }, 'user_invalid'))()));
    expect(e).to.include({ code: 'user_invalid', status: 400 });
    expect((e.details as { issues: Issue[] }).issues.map((i) => i.path)).to.include.members(['email', 'roles.0']);
    expect(e.message).to.match(/^(email|roles\.0): /);
    expect(parseWith(userCreateInput, { username: 'ok' }, 'user_invalid')).to.include({ username: 'ok', disabled: false });
  });

  it('answers typed input as no-store JSON, and never sends a response that breaks its schema', async () => {
    const { logger, errors } = quietLogger();
    const ok = jsonRoute(
      { name: 'status', query: z.object({ n: z.coerce.number().int() }), response: z.object({ double: z.number() }), handler: async ({ query }) => ({ double: query.n * 2 }) },
      logger,
    );
    const ctx = fakeCtx({ query: { n: '21' } });
    await run(ok, ctx);
    expect(ctx.body).to.deep.equal({ double: 42 });
    expect(ctx.headers['cache-control']).to.equal('no-store');

    const leaky = jsonRoute({ name: 'leaky', response: z.object({ id: z.string() }).strict(), handler: async () => ({ id: 'x', secret: 'y' }) as never }, logger);
    const e = (await failure(run(leaky, fakeCtx())));
    expect(e).to.include({ code: 'server_error', status: 500, expose: false });
    expect(errors).to.have.length(1);
  });

  describe('form posts', () => {
    const calls: string[] = [];
    const route = formRoute({
      body: z.object({ csrf: formText(), name: formValue(100) }),
      load: async (_ctx, { body }) => {
        if (body.csrf !== 'good') throw new AppError('csrf');
        calls.push('load');
        return { screen: 'profile' };
      },
      fields: z.object({ name: z.string().trim().min(1, 'enter your name') }),
      invalid: async (ctx, issues, { loaded }) => {
        calls.push(`invalid:${loaded.screen}:${issues.map((i) => `${i.path} ${i.message}`).join()}`);
        ctx.status = 400;
      },
      handler: async (ctx, { fields }) => {
        calls.push(`saved:${fields.name}`);
        ctx.status = 303;
      },
    });
    beforeEach(() => {
      calls.length = 0;
    });

    it('re-renders the same screen for a field a person can fix', async () => {
      const ctx = fakeCtx({ body: { csrf: 'good', name: '  ' } });
      await run(route, ctx);
      expect(ctx.status).to.equal(400);
      expect(calls).to.deep.equal(['load', 'invalid:profile:name enter your name']);
    });

    it('sends a broken or oversized post to the error page (bad_form), before anything runs', async () => {
      for (const body of [{ csrf: ['good', 'again'], name: 'Ann' }, { csrf: 'good', name: 'x'.repeat(101) }, { csrf: { nested: 1 }, name: 'Ann' }]) {
        const e = (await failure(run(route, fakeCtx({ body }))));
        expect(e).to.include({ code: 'bad_form', status: 400 });
      }
      expect(calls).to.deep.equal([]);
    });

    it('checks what must hold (e.g. CSRF) before field rules, so a forged post never gets a form back', async () => {
      const e = await failure(run(route, fakeCtx({ body: { csrf: 'forged', name: '' } })));
      expect(e).to.include({ code: 'csrf', status: 403 });
      expect(calls).to.deep.equal([]);
    });

    it('treats a field issue as a broken form when the screen has nothing to fix (no invalid), without a handler call', async () => {
      const choice = formRoute({
        body: z.object({ decision: formValue(64) }),
        load: async () => 'loaded',
        fields: z.object({ decision: z.enum(['allow', 'deny']) }),
        handler: async () => {
          calls.push('decided');
        },
      });
      expect(await failure(run(choice, fakeCtx({ body: { decision: 'maybe' } })))).to.include({ code: 'bad_form', status: 400 });
      expect(calls).to.deep.equal([]);
    });

    it('answers a JSON route without a logger by raising the mismatch as an unexposed 500 that names it', async () => {
      const leaky = jsonRoute({ name: 'code_step.status', response: z.object({ undelivered: z.boolean() }), handler: async () => ({ undelivered: 'no' }) as never });
      const e = await failure(run(leaky, fakeCtx()));
      expect(e).to.include({ code: 'server_error', status: 500, expose: false });
      expect(e.message).to.contain('code_step.status');
    });

    it('hands the handler the parsed fields', async () => {
      const ctx = fakeCtx({ body: { csrf: 'good', name: ' Ann ' } });
      await run(route, ctx);
      expect(ctx.status).to.equal(303);
      expect(calls).to.deep.equal(['load', 'saved:Ann']);
    });
  });

  describe('error codes', () => {
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

    it('refuses, when thrown, a code that is not in the list', () => {
      expect(() => new AppError('something_went_wrong' as ErrorCode)).to.throw();
      expect(new AppError('bad_form')).to.include({ code: 'bad_form', status: 400 });
    });

    it('throws only listed codes anywhere in src (no free-string code, however it is spelled)', () => {
      // A code given as a literal to the error, or to the error screen (typed code variables are the type-checker's).
      const literal = [/\bnew AppError\(\s*'([^']+)'/g, /\brenderError\(\s*\w+,\s*'([^']+)'/g, /\bparseWith\([^;]*?,\s*'([^']+)'\s*[,)]/g];
      const unlisted: string[] = [];
      for (const file of sources('src')) {
        const text = readFileSync(file, 'utf8');
        for (const re of literal) for (const m of text.matchAll(re)) if (!isErrorCode(m[1]!)) unlisted.push(`${file}: ${m[1]}`);
      }
      expect(unlisted).to.deep.equal([]);
    });
  });
});
