// SMS connection (passwordless sign-in): the settings form, and "Try", which signs in through the built-in test app.
import type { Context } from 'koa';
import { parseWith } from '../../../errors.ts';
import type { SmsConnection } from '../../../settings/sms-connection.ts';
import { smsConnectionPatchInput } from '../../services/schemas/sms-connection.ts';
import { checkbox, compact, many, nullableText, numberField, text, words } from '../form.ts';
import { actorOf, type ConsoleKit, errorLocals, inlineError, seeOther } from '../kit.ts';
import { TRY_CLIENT_ID } from '../try-app.ts';

const NUMBERS = ['codeLength', 'codeLifetimeSeconds', 'maxAttempts', 'resendCooldownSeconds', 'perPhonePerHour', 'perIpPerHour'] as const;

/** The form as text, from the stored settings or from what was posted. */
type ConnectionValues = Omit<SmsConnection, (typeof NUMBERS)[number] | 'allowedCountries' | 'defaultCountry' | 'accountId'> &
  Record<(typeof NUMBERS)[number], string> & { accountId: string; allowedCountries: string; defaultCountry: string };

const valuesOf = (c: SmsConnection): ConnectionValues => ({
  ...c,
  ...(Object.fromEntries(NUMBERS.map((n) => [n, String(c[n])])) as Record<(typeof NUMBERS)[number], string>),
  accountId: c.accountId ?? '',
  allowedCountries: c.allowedCountries.join(' '),
  defaultCountry: c.defaultCountry ?? '',
});

function postedValues(ctx: Context): ConnectionValues {
  return {
    enabled: checkbox(ctx, 'enabled'),
    signups: checkbox(ctx, 'signups'),
    clientIds: many(ctx, 'clientIds'),
    ...(Object.fromEntries(NUMBERS.map((n) => [n, text(ctx, n)])) as Record<(typeof NUMBERS)[number], string>),
    accountId: text(ctx, 'accountId'),
    allowedCountries: text(ctx, 'allowedCountries'),
    defaultCountry: text(ctx, 'defaultCountry'),
  };
}

export function connectionPages(kit: ConsoleKit): void {
  const { get, post, page, services } = kit;
  const { smsConnection, smsAccounts, clients } = services;

  /** Why "Try" cannot run yet, or null when the test app is offered SMS sign-in. */
  async function tryBlocker(c: SmsConnection): Promise<string | null> {
    if (!c.enabled) return 'admin.connection.try_needs_enabled';
    if (!c.accountId) return 'admin.connection.try_needs_account';
    // The test app obeys the connection's app list like every other app.
    if (!c.clientIds.includes(TRY_CLIENT_ID)) return 'admin.connection.try_needs_app';
    const account = await smsAccounts.get(c.accountId).catch(() => undefined);
    return account?.verification.status === 'valid' ? null : 'admin.connection.try_needs_verified';
  }

  const show = async (ctx: Context, values: ConnectionValues, extra: Record<string, unknown> = {}, status?: number) => {
    const [stored, accounts, apps] = await Promise.all([smsConnection.get(), smsAccounts.list({ limit: 200 }), clients.list({ limit: 200 })]);
    await page(
      ctx,
      'connection',
      'connection',
      {
        values,
        accounts: accounts.items,
        apps: apps.items,
        tryBlocker: await tryBlocker(stored),
        saved: ctx.query.saved === '1',
        error: null,
        errorField: '',
        ...extra,
      },
      status,
    );
  };

  get('/connection', async (ctx) => show(ctx, valuesOf(await smsConnection.get())));

  post('/connection', async (ctx) => {
    const values = postedValues(ctx);
    const numbers = compact(Object.fromEntries(NUMBERS.map((n) => [n, numberField(ctx, n)])));
    const change = {
      enabled: values.enabled,
      signups: values.signups,
      clientIds: values.clientIds,
      ...numbers,
      accountId: nullableText(ctx, 'accountId'),
      allowedCountries: words(ctx, 'allowedCountries'),
      defaultCountry: nullableText(ctx, 'defaultCountry')?.trim() ?? null,
    };
    try {
      await smsConnection.update(actorOf(ctx), parseWith(smsConnectionPatchInput, change, 'validation_failed', { status: 400 }));
      seeOther(ctx, '/admin/connection?saved=1');
    } catch (err) {
      const e = inlineError(err);
      await show(ctx, values, errorLocals(e), e.status);
    }
  });
}
