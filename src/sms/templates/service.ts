// Templates: admin overrides validated against SMS rules, choice of template and language, preview, and composing a message.
import { AppError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { regionOf } from '../../phone.ts';
import { CODE_PURPOSES, PURPOSES, type Purpose, type Region } from '../types.ts';
import { parseWith } from '../../errors.ts';
import { BUILTIN_LANGUAGES, builtinTemplate } from './defaults.ts';
import { toGsm7Friendly } from './gsm7.ts';
import { chooseLanguage, type LanguageHints, type LanguageSource } from './language.ts';
import { autofillLine, type Renderer, type TemplateValues } from './render.ts';
import type { StoredTemplate, TemplatesRepo } from './repo.ts';
import { previewInput, templateInput } from './schema.ts';
import { countSegments, MAX_SEGMENTS, type SegmentInfo } from './segments.ts';

export interface TemplatesDeps {
  repo: TemplatesRepo;
  renderer: Renderer;
  logger: Logger;
  /** Throws sms_account_not_found for an unknown account id; gives the account's home country. */
  assertAccount(id: string): Promise<{ homeCountry: string | null }>;
  issuer: string;
  defaultLanguage: string;
  /** Installation default; an account's own home country wins. */
  homeCountry?: string;
  applicationName: string;
  supportContact: string;
  autofill: boolean;
  /** Send texts "GSM-7 friendly" (characters outside GSM-7 replaced by their nearest GSM-7 equivalents); default off. */
  gsm7Friendly?: boolean;
  /** The real lifetime, in minutes, of the codes a purpose sends (connection, SMS factor or policy settings); previews use it. */
  codeLifetimeMinutes?: (purpose: Purpose) => Promise<number | undefined>;
}

/** What the caller knows about a message; missing values render as empty text. */
export interface MessageValues {
  code?: string;
  applicationName?: string;
  supportContact?: string;
  user?: { name?: string | null; login?: string | null } | null;
  expiresInMinutes?: number;
}

export interface Composed extends SegmentInfo {
  text: string;
  language: string;
  languageSource: LanguageSource;
  templateId: string | null;
  /** Whether the text was made GSM-7 friendly. */
  gsm7Friendly: boolean;
}

/** A preview also shows what the text would cost in the other rendering (GSM-7 friendly on or off). */
export interface Preview extends Composed {
  alternative: SegmentInfo & { text: string; gsm7Friendly: boolean };
}

export function createTemplatesService(deps: TemplatesDeps) {
  const { repo, renderer } = deps;

  const sampleValues = (lang: string, expiresInMinutes = 10): TemplateValues => ({
    code: '123456',
    phone_number: '+14155552671',
    application: { name: deps.applicationName },
    request_language: lang,
    user: { name: 'Alex Example', login: 'alex' },
    expires_in_minutes: expiresInMinutes,
    support_contact: deps.supportContact || 'support@example.com',
  });

  /** The variables a text was rendered from, flattened to strings, for providers that send by template id. */
  const flatten = (v: TemplateValues): Record<string, string> => ({
    code: v.code,
    phone_number: v.phone_number,
    application_name: v.application.name,
    request_language: v.request_language,
    user_name: v.user.name,
    user_login: v.user.login,
    expires_in_minutes: String(v.expires_in_minutes),
    support_contact: v.support_contact,
  });

  /** Renders and appends the autofill line to code messages, then measures the result. */
  function finish(purpose: Purpose, source: string, values: TemplateValues, autofill = deps.autofill, friendly = false): SegmentInfo & { text: string } {
    let text = renderer.render(source, values);
    if (friendly) text = toGsm7Friendly(text);
    if (autofill && CODE_PURPOSES.has(purpose) && values.code) text = `${text}\n${autofillLine(deps.issuer, values.code)}`;
    return { text, ...countSegments(text) };
  }

  function tooLong(info: SegmentInfo): AppError {
    return new AppError('sms_template_too_long', 400, {
      message: `body: the message takes ${info.segments} segments (${info.encoding}, ${info.units} units); at most ${MAX_SEGMENTS} are allowed`,
      params: { segments: info.segments, max: MAX_SEGMENTS },
    });
  }

  /** SMS rules for a template body: plain text, one line, renders strictly, carries the code when it must, ≤ 10 segments. */
  function checkBody(purpose: Purpose, body: string, lang: string): SegmentInfo & { text: string } {
    const fail = (message: string) => new AppError('sms_template_invalid', 400, { message: `body: ${message}` });
    if (!body.trim()) throw fail('is required');
    if (/[\r\n]/.test(body)) throw fail('an SMS template is a single line of text');
    if (/<\/?[a-z][^<>]*>/i.test(body)) throw fail('an SMS template is plain text (no HTML, images or title)');
    const sample = sampleValues(lang);
    const result = finish(purpose, body, sample);
    if (CODE_PURPOSES.has(purpose)) {
      const other = renderer.render(body, { ...sample, code: '987650' });
      if (!result.text.includes(sample.code) || !other.includes('987650')) {
        throw fail('must contain the code: {{ code }}, {{ password }}, @@code@@ or @@password@@');
      }
    }
    if (result.segments > MAX_SEGMENTS) throw tooLong(result);
    return result;
  }

  /** The most specific template for the chosen language: account+region, account, region, generic, then built-in. */
  async function resolve(purpose: Purpose, accountId: string, region: Region | undefined, hints: LanguageHints) {
    const custom = await repo.candidates(purpose, accountId, region);
    const available = [...new Set([...custom.map((t) => t.language), ...BUILTIN_LANGUAGES])];
    const choice = chooseLanguage(hints, available, deps.defaultLanguage);
    const score = (t: StoredTemplate) => (t.accountId ? 2 : 0) + (t.region ? 1 : 0);
    const best = custom.filter((t) => t.language === choice.language).sort((a, b) => score(b) - score(a))[0];
    return { choice, template: best };
  }

  /** Built-in text for a language, or its base language, or English. */
  const builtin = (purpose: Purpose, lang: string): string =>
    builtinTemplate(purpose, lang) ??
    builtinTemplate(purpose, BUILTIN_LANGUAGES.find((l) => l.split('-')[0] === lang.split('-')[0]) ?? 'en') ??
    builtinTemplate(purpose, 'en')!;

  return {
    async list(filter: { purpose?: Purpose; language?: string; accountId?: string } = {}): Promise<StoredTemplate[]> {
      return repo.list(filter);
    },

    /** Built-in texts, for admins to start an override from. */
    builtins(): { purpose: Purpose; language: string; body: string }[] {
      return BUILTIN_LANGUAGES.flatMap((lang) => PURPOSES.map((purpose) => ({ purpose, language: lang, body: builtin(purpose, lang) })));
    },

    async get(id: string): Promise<StoredTemplate> {
      const t = await repo.find(id);
      if (!t) throw new AppError('sms_template_not_found', 404, { message: `SMS template ${JSON.stringify(id)} does not exist` });
      return t;
    },

    /** Creates or replaces the override for one scope after checking it against the SMS rules. */
    async save(input: unknown): Promise<StoredTemplate> {
      const t = parseWith(templateInput, input, 'sms_template_invalid');
      if (t.accountId) await deps.assertAccount(t.accountId);
      checkBody(t.purpose, t.body, t.language);
      const id = await repo.upsert({ purpose: t.purpose, language: t.language, accountId: t.accountId ?? null, region: t.region ?? null, body: t.body });
      return (await repo.find(id))!;
    },

    async remove(id: string): Promise<void> {
      if (!(await repo.remove(id))) throw new AppError('sms_template_not_found', 404, { message: `SMS template ${JSON.stringify(id)} does not exist` });
    },

    /** Renders a given body, or the template that would be used, with sample or given values; reports length and cost. */
    async preview(input: unknown): Promise<Preview> {
      const p = parseWith(previewInput, input, 'sms_template_invalid');
      const lang = p.language ?? deps.defaultLanguage;
      const friendly = p.gsm7Friendly ?? deps.gsm7Friendly ?? false;
      const sample = sampleValues(lang, (await deps.codeLifetimeMinutes?.(p.purpose)) ?? 10);
      /** The text in the requested rendering, and in the other one for comparison. */
      const both = (source: string, v: TemplateValues) => {
        const out = finish(p.purpose, source, v, deps.autofill, friendly);
        if (out.segments > MAX_SEGMENTS) throw tooLong(out);
        return { ...out, gsm7Friendly: friendly, alternative: { ...finish(p.purpose, source, v, deps.autofill, !friendly), gsm7Friendly: !friendly } };
      };
      const values: TemplateValues = {
        ...sample,
        ...p.values,
        application: { ...sample.application, ...p.values?.application },
        user: { ...sample.user, ...p.values?.user },
      };
      if (p.body !== undefined) {
        checkBody(p.purpose, p.body, lang);
        return { ...both(p.body, values), language: lang, languageSource: 'request', templateId: null };
      }
      const home = p.accountId ? ((await deps.assertAccount(p.accountId)).homeCountry ?? deps.homeCountry) : deps.homeCountry;
      const region = p.to ? regionOf(p.to, home) : undefined;
      const { choice, template } = await resolve(p.purpose, p.accountId ?? '', region, { requestLanguage: lang });
      const out = both(template?.body ?? builtin(p.purpose, choice.language), { ...values, request_language: choice.language });
      return { ...out, language: choice.language, languageSource: choice.source, templateId: template?.id ?? null };
    },

    /** The text of one real message. A broken override falls back to the built-in text so the user still gets a code. */
    async compose(q: {
      purpose: Purpose;
      to: string;
      accountId: string;
      /** The account's home country (null: the installation default). */
      homeCountry?: string | null;
      hints: LanguageHints;
      values: MessageValues;
      autofill?: boolean;
      gsm7Friendly?: boolean;
    }): Promise<Composed & { variables: Record<string, string> }> {
      const { choice, template } = await resolve(q.purpose, q.accountId, regionOf(q.to, q.homeCountry ?? deps.homeCountry), q.hints);
      const values: TemplateValues = {
        code: q.values.code ?? '',
        phone_number: q.to,
        application: { name: q.values.applicationName ?? deps.applicationName },
        request_language: choice.language,
        user: { name: q.values.user?.name ?? '', login: q.values.user?.login ?? '' },
        expires_in_minutes: q.values.expiresInMinutes ?? 10,
        support_contact: q.values.supportContact ?? deps.supportContact,
      };
      const autofill = q.autofill ?? deps.autofill;
      const gsm7Friendly = q.gsm7Friendly ?? deps.gsm7Friendly ?? false;
      const meta = { variables: flatten(values), language: choice.language, languageSource: choice.source, gsm7Friendly };
      if (template) {
        try {
          return { ...finish(q.purpose, template.body, values, autofill, gsm7Friendly), ...meta, templateId: template.id };
        } catch (err) {
          deps.logger.warn({ templateId: template.id, err: err instanceof Error ? err.message : String(err) }, 'SMS template failed to render; using the built-in text');
        }
      }
      return { ...finish(q.purpose, builtin(q.purpose, choice.language), values, autofill, gsm7Friendly), ...meta, templateId: null };
    },
  };
}

export type TemplatesService = ReturnType<typeof createTemplatesService>;
