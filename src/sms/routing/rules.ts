// The pure part of routing: the first rule that matches a destination, among the accounts the app may use.
import type { Destination, Route } from './types.ts';

export function matches(r: Route, d: Destination): boolean {
  if (r.country && r.country !== d.country) return false;
  if (r.prefix && !d.to.startsWith(r.prefix)) return false;
  if (r.clientId && r.clientId !== d.clientId) return false;
  return true;
}

/**
 * The first matching rule whose account is a candidate (rules naming an account the app may not use are skipped, so a
 * rule never widens what an app was granted); its fallback only when that is a candidate too and another account.
 */
export function route(rules: readonly Route[], d: Destination, candidate: (accountId: string) => boolean): { rule: Route; accountId: string; fallbackAccountId: string | null } | undefined {
  for (const rule of rules) {
    if (!matches(rule, d) || !candidate(rule.accountId)) continue;
    const fb = rule.fallbackAccountId && rule.fallbackAccountId !== rule.accountId && candidate(rule.fallbackAccountId) ? rule.fallbackAccountId : null;
    return { rule, accountId: rule.accountId, fallbackAccountId: fb };
  }
  return undefined;
}
