// The policy rules as one 422 AppError listing every broken rule; input arrives parsed by the edge's schemas.
import { type AppError, validationError } from '../errors.ts';
import { checkPolicyRules, type PolicyRuleViolation } from './rules.ts';
import type { PolicyContent } from './schema.ts';

/** Every problem as one AppError (422; the first problem's code, also the i18n key; every field in details.issues). */
export function policyErrorToAppError(errors: readonly PolicyRuleViolation[]): AppError {
  const first = errors[0] ?? { code: 'policy_invalid', field: '', message: 'invalid policy' };
  const err = validationError(
    errors.map((e) => ({ path: e.field, message: e.message.startsWith(`${e.field}: `) ? e.message.slice(e.field.length + 2) : e.message, code: e.code })),
    first.code,
    422,
  );
  return Object.assign(err, { message: first.message });
}

/** Returns the policy when every rule holds (`previous`: the stored version of an update), else throws the 422. */
export function checkPolicy(next: PolicyContent, previous?: PolicyContent): PolicyContent {
  const violations = checkPolicyRules(next, previous);
  if (violations.length > 0) throw policyErrorToAppError(violations);
  return next;
}
