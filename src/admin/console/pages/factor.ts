// SMS factor: active, sending account, the phone field (built-in phone_number or a custom user field), code settings.
import type { Context } from 'koa';
import type { PhoneField } from '../../../policies/index.ts';
import { parseWith } from '../../../errors.ts';
import { smsFactorPatchInput } from '../../services/schemas/sms-factor.ts';
import type { SmsFactorView } from '../../services/sms-factor.ts';
import { checkbox, compact, nullableText, numberField, text } from '../form.ts';
import { actorOf, type ConsoleKit, errorLocals, inlineError, seeOther } from '../kit.ts';

/** A phone field as one select value: `phone_number` or `custom:<attribute>`. */
export const phoneFieldValue = (f: PhoneField): string => (f.source === 'phone_number' ? 'phone_number' : `custom:${f.attribute}`);

const phoneFieldOf = (v: string): PhoneField | string =>
  v === 'phone_number' ? { source: 'phone_number' } : v.startsWith('custom:') ? { source: 'custom_attribute', attribute: v.slice(7) } : v;

const CODE_FIELDS = ['mfaLength', 'mfaMaxAttempts', 'mfaLifetimeSeconds', 'resetLength', 'resetMaxAttempts'] as const;
type FactorValues = { active: boolean; accountId: string; phoneField: string; defaultCountry: string } & Record<(typeof CODE_FIELDS)[number], string>;

const valuesOf = (f: SmsFactorView): FactorValues => ({
  active: f.active,
  accountId: f.accountId ?? '',
  phoneField: phoneFieldValue(f.phoneField),
  defaultCountry: f.defaultCountry ?? '',
  mfaLength: String(f.mfaCode.length),
  mfaMaxAttempts: String(f.mfaCode.maxAttempts),
  mfaLifetimeSeconds: String(f.mfaCode.lifetimeSeconds),
  resetLength: String(f.resetCode.length),
  resetMaxAttempts: String(f.resetCode.maxAttempts),
});

function postedValues(ctx: Context): FactorValues {
  return {
    active: checkbox(ctx, 'active'),
    accountId: text(ctx, 'accountId'),
    phoneField: text(ctx, 'phoneField'),
    defaultCountry: text(ctx, 'defaultCountry'),
    ...(Object.fromEntries(CODE_FIELDS.map((n) => [n, text(ctx, n)])) as Record<(typeof CODE_FIELDS)[number], string>),
  };
}

export function factorPages({ get, post, page, services }: ConsoleKit): void {
  const { smsFactor, smsAccounts } = services;

  const show = async (ctx: Context, values: FactorValues, extra: Record<string, unknown> = {}, status?: number) => {
    const [current, fields, accounts] = await Promise.all([smsFactor.get(), smsFactor.phoneFields(), smsAccounts.list({ limit: 200 })]);
    const choices = fields.map(phoneFieldValue);
    // A mapping to an attribute no user has yet is still a choice (the one saved, or the one typed).
    for (const v of [phoneFieldValue(current.phoneField), values.phoneField]) if (v && !choices.includes(v)) choices.push(v);
    await page(
      ctx,
      'factor',
      'factor',
      { values, availability: current.availability, phoneFields: choices, accounts: accounts.items, saved: ctx.query.saved === '1', error: null, errorField: '', ...extra },
      status,
    );
  };

  get('/factor', async (ctx) => show(ctx, valuesOf(await smsFactor.get())));

  post('/factor', async (ctx) => {
    const values = postedValues(ctx);
    const patch = {
      active: values.active,
      accountId: nullableText(ctx, 'accountId'),
      phoneField: phoneFieldOf(values.phoneField),
      defaultCountry: nullableText(ctx, 'defaultCountry')?.trim() ?? null,
      mfaCode: compact({ length: numberField(ctx, 'mfaLength'), maxAttempts: numberField(ctx, 'mfaMaxAttempts'), lifetimeSeconds: numberField(ctx, 'mfaLifetimeSeconds') }),
      resetCode: compact({ length: numberField(ctx, 'resetLength'), maxAttempts: numberField(ctx, 'resetMaxAttempts') }),
    };
    try {
      await smsFactor.update(actorOf(ctx), parseWith(smsFactorPatchInput, patch, 'sms_factor_invalid', { status: 400 }));
      seeOther(ctx, '/admin/factor?saved=1');
    } catch (err) {
      const e = inlineError(err);
      await show(ctx, values, errorLocals(e), e.status);
    }
  });
}
