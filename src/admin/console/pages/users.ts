// Users: search and page through them, add, edit (phone fields, custom attributes, roles, disabled, policy), delete.
import type { Context } from 'koa';
import type { PolicyView } from '../../services/schemas/policies.ts';
import { parseWith } from '../../../errors.ts';
import { userCreateInput, userPatchInput, type UserView } from '../../services/schemas/users.ts';
import { checkbox, nullableText, optionalText, text, words } from '../form.ts';
import { actorOf, type ConsoleKit, errorLocals, inlineError, seeOther } from '../kit.ts';
import { attributeChanges, attributesText, parseAttributes } from './user-attributes.ts';

/** What the form shows: the user's fields, with custom attributes as editable text. */
interface UserValues {
  id: string;
  username: string;
  email: string;
  emailVerified: boolean;
  name: string;
  givenName: string;
  familyName: string;
  locale: string;
  phoneNumber: string;
  phoneNumberVerified: boolean;
  attributes: string;
  roles: string;
  disabled: boolean;
  policyId: string;
}

const valuesOf = (u: UserView): UserValues => ({
  id: u.id,
  username: u.username ?? '',
  email: u.email ?? '',
  emailVerified: u.emailVerified,
  name: u.name ?? '',
  givenName: u.givenName ?? '',
  familyName: u.familyName ?? '',
  locale: u.locale ?? '',
  phoneNumber: u.phoneNumber ?? '',
  phoneNumberVerified: u.phoneNumberVerified,
  attributes: attributesText(u.customAttributes),
  roles: u.roles.join(' '),
  disabled: u.disabled,
  policyId: u.policyId ?? '',
});

const TEXT_FIELDS = ['username', 'email', 'name', 'givenName', 'familyName', 'locale', 'phoneNumber'] as const;

function postedValues(ctx: Context, id: string): UserValues {
  const t = (n: string) => text(ctx, n);
  return {
    id,
    username: t('username'),
    email: t('email'),
    emailVerified: checkbox(ctx, 'emailVerified'),
    name: t('name'),
    givenName: t('givenName'),
    familyName: t('familyName'),
    locale: t('locale'),
    phoneNumber: t('phoneNumber'),
    phoneNumberVerified: checkbox(ctx, 'phoneNumberVerified'),
    attributes: t('attributes'),
    roles: t('roles'),
    disabled: checkbox(ctx, 'disabled'),
    policyId: t('policyId'),
  };
}

/** The fields both create and update send; blank text fields are cleared (null). */
function profileInput(ctx: Context) {
  const profile: Record<string, unknown> = Object.fromEntries(TEXT_FIELDS.map((n) => [n, nullableText(ctx, n)]));
  if (typeof profile.username === 'string') profile.username = profile.username.trim();
  if (typeof profile.email === 'string') profile.email = profile.email.trim();
  return {
    ...profile,
    emailVerified: checkbox(ctx, 'emailVerified'),
    phoneNumberVerified: checkbox(ctx, 'phoneNumberVerified'),
    roles: words(ctx, 'roles'),
    disabled: checkbox(ctx, 'disabled'),
    policyId: nullableText(ctx, 'policyId'),
  };
}

export function userPages({ get, post, page, services }: ConsoleKit): void {
  const { users, policies, messages, audit, userStats } = services;
  /** What support looks at first: the user's recent messages (by their phone number) and sign-ins. */
  const activityOf = async (u: UserView) => ({
    recentMessages: u.phoneNumber ? await messages.recentTo(u.phoneNumber, 10) : [],
    signIns: (await audit.list({ limit: 10, action: 'signin.', target: u.id })).items,
  });
  const allPolicies = async (): Promise<PolicyView[]> => (await policies.list({ limit: 200 })).items;

  const form = async (ctx: Context, values: UserValues, extra: Record<string, unknown> = {}, status?: number) =>
    page(ctx, 'user-form', 'users', { values, policies: await allPolicies(), isNew: !values.id, saved: false, done: null, error: null, errorField: '', recentMessages: [], signIns: [], ...extra }, status);

  get('/users', async (ctx) => {
    const q = typeof ctx.query.q === 'string' ? ctx.query.q.trim() : '';
    const cursor = typeof ctx.query.cursor === 'string' ? ctx.query.cursor : undefined;
    const all = await allPolicies();
    const byId = new Map(all.map((p) => [p.id, p]));
    const defaultPolicy = all.find((p) => p.isDefault);
    /** The policy that applies to a user: their own, else the default. */
    const policyOf = (u: UserView) => (u.policyId ? byId.get(u.policyId) : undefined) ?? defaultPolicy;
    const common = { q, policyOf, deleted: ctx.query.deleted === '1' };
    try {
      const result = await users.list({ limit: 50, cursor, ...(q ? { q } : {}) });
      const lastSignIns = await userStats.lastSignIns(result.items.map((u) => u.id));
      await page(ctx, 'users', 'users', { ...common, users: result.items, nextCursor: result.nextCursor, lastSignIns, error: null });
    } catch (err) {
      const e = inlineError(err);
      await page(ctx, 'users', 'users', { ...common, users: [], nextCursor: null, lastSignIns: new Map(), deleted: false, ...errorLocals(e) }, e.status);
    }
  });

  get('/users/new', (ctx) => form(ctx, valuesOf({ ...emptyUser })));

  post('/users', async (ctx) => {
    const values = postedValues(ctx, '');
    try {
      const customAttributes = parseAttributes(values.attributes);
      const password = optionalText(ctx, 'password');
      const created = await users.create(actorOf(ctx), parseWith(userCreateInput, { ...profileInput(ctx), customAttributes, ...(password ? { password } : {}) }, 'user_invalid'));
      seeOther(ctx, `/admin/users/${encodeURIComponent(created.id)}?saved=1`);
    } catch (err) {
      const e = inlineError(err);
      await form(ctx, values, errorLocals(e), e.status);
    }
  });

  get('/users/:id', async (ctx) => {
    const user = await users.get(ctx.params.id!);
    const done = ctx.query.done === 'revoked' ? 'admin.users.sessions_revoked' : ctx.query.done === 'unblocked' ? 'admin.users.unblocked' : null;
    await form(ctx, valuesOf(user), { saved: ctx.query.saved === '1', done, ...(await activityOf(user)) });
  });

  post('/users/:id', async (ctx) => {
    const id = ctx.params.id!;
    const values = postedValues(ctx, id);
    try {
      const current = await users.get(id);
      const customAttributes = attributeChanges(current.customAttributes, parseAttributes(values.attributes));
      const password = optionalText(ctx, 'password');
      await users.update(actorOf(ctx), id, parseWith(userPatchInput, { ...profileInput(ctx), customAttributes, ...(password ? { password } : {}) }, 'user_invalid'));
      seeOther(ctx, `/admin/users/${encodeURIComponent(id)}?saved=1`);
    } catch (err) {
      const e = inlineError(err);
      await form(ctx, values, errorLocals(e), e.status);
    }
  });

  post('/users/:id/revoke-sessions', async (ctx) => {
    const id = ctx.params.id!;
    await users.revokeSessions(actorOf(ctx), id);
    seeOther(ctx, `/admin/users/${encodeURIComponent(id)}?done=revoked`);
  });

  post('/users/:id/unblock', async (ctx) => {
    const id = ctx.params.id!;
    await users.unblock(actorOf(ctx), id);
    seeOther(ctx, `/admin/users/${encodeURIComponent(id)}?done=unblocked`);
  });

  post('/users/:id/delete', async (ctx) => {
    const id = ctx.params.id!;
    try {
      await users.remove(actorOf(ctx), id);
      seeOther(ctx, '/admin/users?deleted=1');
    } catch (err) {
      const e = inlineError(err);
      await form(ctx, valuesOf(await users.get(id)), errorLocals(e), e.status);
    }
  });
}

const emptyUser: UserView = {
  id: '',
  username: null,
  email: null,
  emailVerified: false,
  name: null,
  givenName: null,
  familyName: null,
  locale: null,
  phoneNumber: null,
  phoneNumberVerified: false,
  customAttributes: {},
  roles: [],
  disabled: false,
  policyId: null,
  hasPassword: false,
  passwordChangedAt: null,
  createdAt: 0,
  updatedAt: 0,
};
