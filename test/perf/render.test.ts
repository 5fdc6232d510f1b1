// Screens in production are compiled once: rendering again reads no template file and checks no include path.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { expect } from 'chai';
import type { Context } from 'koa';
import { createScreens } from '../../src/views.ts';

function fakeContext(): Context {
  const headers: Record<string, string> = {};
  return { state: {}, status: 200, get: () => 'de', set: (k: string, v: string) => (headers[k] = v) } as unknown as Context;
}

/** Counts calls of the file-system functions koa-views and EJS used per render while `fn` runs. */
async function fileSystemCalls(fn: () => Promise<void>): Promise<number> {
  const names = ['readFileSync', 'existsSync', 'statSync', 'stat', 'readFile'] as const;
  const saved = names.map((n) => fs[n]);
  let calls = 0;
  for (const [i, n] of names.entries()) {
    (fs as unknown as Record<string, unknown>)[n] = (...args: unknown[]) => {
      calls += 1;
      return (saved[i] as (...a: unknown[]) => unknown)(...args);
    };
  }
  syncBuiltinESMExports();
  try {
    await fn();
  } finally {
    for (const [i, n] of names.entries()) (fs as unknown as Record<string, unknown>)[n] = saved[i];
    syncBuiltinESMExports();
  }
  return calls;
}

describe('screen rendering', () => {
  it('in production, a screen rendered before (with its includes) touches no file again', async () => {
    const screens = createScreens({ env: 'production', defaultLocale: 'en', supportContact: '' });
    const first = fakeContext();
    expect(await fileSystemCalls(() => screens.render(first, 'demo', { claims: null }))).to.be.greaterThan(0);
    const again = fakeContext();
    expect(await fileSystemCalls(() => screens.render(again, 'demo', { claims: null }))).to.equal(0);
    expect(again.body).to.equal(first.body);
    expect(String(again.body)).to.match(/<html lang="de">[\s\S]*<link rel="stylesheet" href="\/assets\/style.css">[\s\S]*<\/html>/);
  });

  it('in development, an edited template shows at the next render', async () => {
    const screens = createScreens({ env: 'development', defaultLocale: 'en', supportContact: '' });
    const ctx = fakeContext();
    expect(await fileSystemCalls(() => screens.render(ctx, 'demo', { claims: null }))).to.be.greaterThan(0);
    expect(await fileSystemCalls(() => screens.render(fakeContext(), 'demo', { claims: null }))).to.be.greaterThan(0);
  });
});
