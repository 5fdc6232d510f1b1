// Policies: list, add, edit the three sections, make default, delete; SMS reset is offered only where the rule allows it.
import type { Context } from 'koa';
import { checkSmsResetNeedsSmsFactor } from '../../../policies/rules.ts';
import { parseWith } from '../../../errors.ts';
import { policyCreateInput, policyPatchInput, type PolicyView } from '../../services/schemas/policies.ts';
import { checkbox, compact, nullableNumber, numberField, text } from '../form.ts';
import { actorOf, type ConsoleKit, errorLocals, inlineError, seeOther } from '../kit.ts';

const NUMBERS = ['minLength', 'maxLength', 'maxAgeDays', 'reminderDays', 'resetCodeLifetimeSeconds'] as const;
type PolicyValues = { id: string; name: string; mfaSms: boolean; mfaRequired: string; afterSms: string; enrolPhone: boolean; blocklist: boolean; resetSms: boolean; smsForAdmins: boolean } & Record<(typeof NUMBERS)[number], string>;

const shown = (n: number | null) => (n === null ? '' : String(n));

const valuesOf = (p: PolicyView): PolicyValues => ({
  id: p.id,
  name: p.name,
  mfaSms: p.mfa.factors.includes('sms'),
  mfaRequired: p.mfa.required,
  afterSms: p.mfa.afterSms,
  enrolPhone: p.mfa.enrolPhone,
  blocklist: p.password.blocklist,
  resetSms: p.passwordUpdate.methods.includes('sms'),
  smsForAdmins: p.passwordUpdate.smsForAdmins,
  minLength: shown(p.password.minLength),
  maxLength: shown(p.password.maxLength),
  maxAgeDays: shown(p.password.maxAgeDays),
  reminderDays: shown(p.password.reminderDays),
  resetCodeLifetimeSeconds: shown(p.passwordUpdate.resetCodeLifetimeSeconds),
});

function postedValues(ctx: Context, id: string): PolicyValues {
  return {
    id,
    name: text(ctx, 'name'),
    mfaSms: checkbox(ctx, 'mfaSms'),
    mfaRequired: text(ctx, 'mfaRequired'),
    afterSms: text(ctx, 'afterSms'),
    enrolPhone: checkbox(ctx, 'enrolPhone'),
    blocklist: checkbox(ctx, 'blocklist'),
    resetSms: checkbox(ctx, 'resetSms'),
    smsForAdmins: checkbox(ctx, 'smsForAdmins'),
    ...(Object.fromEntries(NUMBERS.map((n) => [n, text(ctx, n)])) as Record<(typeof NUMBERS)[number], string>),
  };
}

/** Whether the pure policy rule would accept SMS reset with these MFA factors. */
const smsResetAllowed = (mfaSms: boolean) =>
  !checkSmsResetNeedsSmsFactor({ mfa: { factors: mfaSms ? ['sms'] : [], required: 'never' }, passwordUpdate: { methods: ['sms'] } });

export function policyPages({ get, post, page, services }: ConsoleKit): void {
  const { policies } = services;
  const all = async () => (await policies.list({ limit: 200 })).items;

  get('/policies', async (ctx) => {
    await page(ctx, 'policies', 'policies', { policies: await all(), newName: '', deleted: ctx.query.deleted === '1', error: null, errorField: '' });
  });

  post('/policies', async (ctx) => {
    const name = text(ctx, 'name');
    try {
      const created = await policies.create(actorOf(ctx), parseWith(policyCreateInput, { name }, 'policy_invalid'));
      seeOther(ctx, `/admin/policies/${encodeURIComponent(created.id)}?saved=1`);
    } catch (err) {
      const e = inlineError(err);
      await page(ctx, 'policies', 'policies', { policies: await all(), newName: name, deleted: false, ...errorLocals(e) }, e.status);
    }
  });

  /** The policy form; SMS reset is enabled when the stored policy, or the form just posted, has the SMS factor. */
  const form = async (ctx: Context, stored: PolicyView, values: PolicyValues, extra: Record<string, unknown> = {}, status?: number) => {
    const others = (await all()).filter((p) => p.id !== stored.id);
    const resetEnabled = smsResetAllowed(stored.mfa.factors.includes('sms')) || smsResetAllowed(values.mfaSms);
    const withoutPhone = await policies.usersWithoutPhone(stored.id);
    await page(
      ctx,
      'policy-form',
      'policies',
      { policy: stored, values, resetEnabled, others, withoutPhone, saved: ctx.query.saved === '1', error: null, errorField: '', ...extra },
      status,
    );
  };

  get('/policies/:id', async (ctx) => {
    const p = await policies.get(ctx.params.id!);
    await form(ctx, p, valuesOf(p));
  });

  post('/policies/:id', async (ctx) => {
    const id = ctx.params.id!;
    const stored = await policies.get(id);
    const values = postedValues(ctx, id);
    const patch = {
      name: values.name,
      mfa: { factors: values.mfaSms ? ['sms'] : [], required: values.mfaRequired, enrolPhone: values.enrolPhone, ...(values.afterSms ? { afterSms: values.afterSms } : {}) },
      password: compact({
        minLength: numberField(ctx, 'minLength'),
        maxLength: numberField(ctx, 'maxLength'),
        blocklist: values.blocklist,
        maxAgeDays: nullableNumber(ctx, 'maxAgeDays'),
        reminderDays: nullableNumber(ctx, 'reminderDays'),
      }),
      passwordUpdate: compact({
        methods: values.resetSms ? ['sms'] : [],
        resetCodeLifetimeSeconds: numberField(ctx, 'resetCodeLifetimeSeconds'),
        smsForAdmins: values.smsForAdmins,
      }),
    };
    try {
      await policies.update(actorOf(ctx), id, parseWith(policyPatchInput, patch, 'policy_invalid'));
      seeOther(ctx, `/admin/policies/${encodeURIComponent(id)}?saved=1`);
    } catch (err) {
      const e = inlineError(err);
      await form(ctx, stored, values, errorLocals(e), e.status);
    }
  });

  post('/policies/:id/default', async (ctx) => {
    const id = ctx.params.id!;
    await policies.setDefault(actorOf(ctx), id);
    seeOther(ctx, `/admin/policies/${encodeURIComponent(id)}?saved=1`);
  });

  post('/policies/:id/delete', async (ctx) => {
    const id = ctx.params.id!;
    const reassign = text(ctx, 'reassignUsersTo');
    try {
      await policies.remove(actorOf(ctx), id, reassign ? { reassignUsersTo: reassign } : {});
      seeOther(ctx, '/admin/policies?deleted=1');
    } catch (err) {
      const e = inlineError(err);
      const p = await policies.get(id);
      await form(ctx, p, valuesOf(p), { deleteError: errorLocals(e).error }, e.status);
    }
  });
}
