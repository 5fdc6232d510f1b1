// Renders SMS texts with Liquid (strict variables, no file access) and Auth0-style @@code@@ placeholders.
import { createRequire } from 'node:module';
import type { Liquid as LiquidEngine, Template } from 'liquidjs';
import { AppError } from '../../errors.ts';
import { memo } from '../../memo.ts';

export interface TemplateValues {
  code: string;
  phone_number: string;
  application: { name: string };
  request_language: string;
  user: { name: string; login: string };
  expires_in_minutes: number;
  support_contact: string;
}

const PLACEHOLDER = /@@([A-Za-z_]+)@@/g;
const AUTH0_PLACEHOLDERS: Record<string, string> = { code: '{{ code }}', password: '{{ password }}' };

/** Rewrites @@code@@ / @@password@@ into Liquid; any other @@name@@ is an error rather than silent text. */
export function fromAuth0Placeholders(source: string): string {
  return source.replace(PLACEHOLDER, (_m, name: string) => {
    const liquid = AUTH0_PLACEHOLDERS[name];
    if (!liquid) throw new AppError('sms_template_invalid', 400, { message: `body: unknown placeholder @@${name}@@ (use @@code@@ or @@password@@)` });
    return liquid;
  });
}

const refuseFileTag = {
  parse(): never {
    throw new Error('templates cannot include other files');
  },
  render(): never {
    throw new Error('templates cannot include other files');
  },
};

const require = createRequire(import.meta.url);

/** The Liquid engine, loaded when the first text is rendered (a server at rest does not hold it). */
function newEngine(): LiquidEngine {
  const { Liquid } = require('liquidjs') as typeof import('liquidjs');
  const engine = new Liquid({
    strictVariables: true,
    strictFilters: true,
    ownPropertyOnly: true,
    templates: {},
    cache: false,
    parseLimit: 20_000,
    renderLimit: 200,
    memoryLimit: 1_000_000,
  });
  for (const tag of ['include', 'render', 'layout', 'block']) engine.registerTag(tag, refuseFileTag);
  return engine;
}

/** Parsed templates kept per renderer: a server sends from a handful of templates, each parsed once. */
const MAX_PARSED = 500;

export function createRenderer() {
  let loaded: LiquidEngine | undefined;
  const engine = (): LiquidEngine => (loaded ??= newEngine());
  const parsed = memo<Template[]>(MAX_PARSED);
  /** The template parsed once per source text (a parse error is thrown each time, nothing kept). */
  const parse = (liquid: string): Template[] => parsed(liquid, () => engine().parse(liquid));

  return {
    /** Renders a template; Liquid errors (unknown variable or filter, bad syntax) become a 400 with Liquid's message. */
    render(source: string, values: TemplateValues): string {
      const liquid = fromAuth0Placeholders(source);
      const scope = { ...values, password: values.code };
      let out: string;
      try {
        out = String(engine().renderSync(parse(liquid), scope));
      } catch (err) {
        const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
        throw new AppError('sms_template_invalid', 400, { message: `body: ${message}` });
      }
      // An SMS template is one line: a value with a line break must not add lines.
      return out.replace(/[\r\n]+/g, ' ').replace(/\s{2,}/g, ' ').trim();
    },
  };
}

export type Renderer = ReturnType<typeof createRenderer>;

/** The browser autofill line for one-time codes (WebOTP / origin-bound codes): `@host #code`. */
export function autofillLine(issuer: string, code: string): string {
  return `@${new URL(issuer).hostname} #${code}`;
}
