// Read-only admin view of the audit log, newest first: actors and targets by name beside their ids, changes as a field-by-field diff.
import type { z } from 'zod';
import type { AuditEvent, AuditRepo } from '../../db/audit.ts';
import { diffOf, type FieldChange } from './audit-diff.ts';
import { keysetPaged, type Page } from './page.ts';
import type { auditListQuery } from './schemas/audit.ts';

export interface ReadableAuditEvent extends AuditEvent {
  /** The actor's name (username, app name), when it still exists. */
  actorLabel: string | null;
  /** The target's name (username, app, policy or SMS account name), when it still exists. */
  targetLabel: string | null;
  /** Fields that differ between `details.before` and `details.after`. */
  changes: FieldChange[];
}

/** Looks names up by id; each answers undefined for an id it does not know. */
export interface AuditNames {
  user(id: string): Promise<string | undefined>;
  client(id: string): Promise<string | undefined>;
  policy(id: string): Promise<string | undefined>;
  smsAccount(id: string): Promise<string | undefined>;
  /** A user id (`user:<id>` for actors) for a username or email, to filter by name. */
  userIdByLogin(login: string): Promise<string | undefined>;
}

const TARGET_KIND: Record<string, keyof Omit<AuditNames, 'userIdByLogin'>> = {
  user: 'user',
  signin: 'user',
  password: 'user',
  client: 'client',
  branding: 'client',
  policy: 'policy',
  sms_account: 'smsAccount',
};

export function createAuditLog({ audit, names }: { audit: Pick<AuditRepo, 'list'>; names: AuditNames }) {
  /** One page's names, each looked up once. */
  function lookup() {
    const seen = new Map<string, Promise<string | undefined>>();
    return (kind: keyof Omit<AuditNames, 'userIdByLogin'>, id: string) => {
      const key = `${kind}:${id}`;
      if (!seen.has(key)) seen.set(key, names[kind](id).catch(() => undefined));
      return seen.get(key)!;
    };
  }

  async function readable(events: AuditEvent[]): Promise<ReadableAuditEvent[]> {
    const name = lookup();
    return Promise.all(
      events.map(async (e) => {
        const [kind, id] = e.actor?.includes(':') ? (e.actor.split(/:(.*)/s) as [string, string]) : ['', ''];
        const actorLabel = kind === 'user' ? await name('user', id) : kind === 'client' ? await name('client', id) : undefined;
        const targetKind = TARGET_KIND[e.action.split('.')[0]!];
        const targetLabel = e.target && targetKind ? await name(targetKind, e.target) : undefined;
        const { before, after } = e.details as { before?: unknown; after?: unknown };
        const changes = before !== undefined && after !== undefined ? diffOf(before, after) : [];
        return { ...e, actorLabel: actorLabel ?? null, targetLabel: targetLabel ?? null, changes };
      }),
    );
  }

  /** `alice` → `user:<alice's id>`; `client:…`/`user:…` and unknown names are kept as typed. */
  async function actorFilter(actor: string | undefined): Promise<string | undefined> {
    if (!actor || actor.includes(':')) return actor;
    const id = await names.userIdByLogin(actor);
    return id ? `user:${id}` : actor;
  }

  async function targetFilter(target: string | undefined): Promise<string | undefined> {
    if (!target) return target;
    return (await names.userIdByLogin(target)) ?? target;
  }

  return {
    async list(query: z.output<typeof auditListQuery>): Promise<Page<ReadableAuditEvent>> {
      const { limit, cursor, actor, target, ...filters } = query;
      const where = { ...filters, actor: await actorFilter(actor), target: await targetFilter(target) };
      const page = await keysetPaged({ limit, cursor }, (n, after) => audit.list({ ...where, limit: n, after }), (e) => ({ at: e.at, id: e.id }));
      return { ...page, items: await readable(page.items) };
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
