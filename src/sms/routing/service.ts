// Routing rules for admins: validated create/edit/move/delete; the effective list shows the implicit rules after them.
import { AppError, parseWith } from '../../errors.ts';
import type { RoutesRepo } from './repo.ts';
import { routeInput, routePatch } from './schema.ts';
import type { Route } from './types.ts';

export interface RoutingDeps {
  repo: RoutesRepo;
  /** Whether an SMS account exists. */
  accountExists: (id: string) => Promise<boolean>;
  /** Whether an app exists. */
  clientExists?: (clientId: string) => Promise<boolean>;
}

const invalid = (field: string, message: string) => new AppError('sms_route_invalid', 400, { message: `${field}: ${message}`, params: { field } });

export function createRoutingService(deps: RoutingDeps) {
  const { repo } = deps;

  async function must(id: string): Promise<Route> {
    const r = typeof id === 'string' && id.length <= 36 ? await repo.get(id) : undefined;
    if (!r) throw new AppError('sms_route_not_found', 404, { message: `SMS routing rule ${JSON.stringify(id)} does not exist` });
    return r;
  }

  async function check(f: { accountId: string; fallbackAccountId: string | null; clientId: string | null; country: string | null; prefix: string | null }) {
    if (!(await deps.accountExists(f.accountId))) throw invalid('accountId', `there is no SMS account ${JSON.stringify(f.accountId)}`);
    if (f.fallbackAccountId !== null) {
      if (f.fallbackAccountId === f.accountId) throw invalid('fallbackAccountId', 'must be another account than the rule’s own');
      if (!(await deps.accountExists(f.fallbackAccountId))) throw invalid('fallbackAccountId', `there is no SMS account ${JSON.stringify(f.fallbackAccountId)}`);
    }
    if (f.clientId !== null && deps.clientExists && !(await deps.clientExists(f.clientId))) throw invalid('clientId', `there is no app ${JSON.stringify(f.clientId)}`);
  }

  return {
    list: () => repo.list(),
    get: must,
    async create(input: unknown): Promise<Route> {
      const p = parseWith(routeInput, input, 'sms_route_invalid');
      const f = { country: p.country ?? null, prefix: p.prefix ?? null, clientId: p.clientId ?? null, accountId: p.accountId, fallbackAccountId: p.fallbackAccountId ?? null, note: p.note ?? null };
      await check(f);
      return must(await repo.insert(f, p.position));
    },
    async update(id: string, patch: unknown): Promise<{ before: Route; after: Route }> {
      const before = await must(id);
      const p = parseWith(routePatch, patch, 'sms_route_invalid');
      const pick = <K extends 'country' | 'prefix' | 'clientId' | 'fallbackAccountId' | 'note'>(k: K) => (k in p ? ((p[k] as string | null | undefined) ?? null) : before[k]);
      const f = { country: pick('country'), prefix: pick('prefix'), clientId: pick('clientId'), accountId: p.accountId ?? before.accountId, fallbackAccountId: pick('fallbackAccountId'), note: pick('note') };
      await check(f);
      await repo.update(id, f, p.position);
      return { before, after: await must(id) };
    },
    async remove(id: string): Promise<Route> {
      const r = await must(id);
      await repo.remove(id);
      return r;
    },
  };
}

export type RoutingService = ReturnType<typeof createRoutingService>;
