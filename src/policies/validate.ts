// One entry point to check a submitted policy: schema bounds, then cross-section rules; as a result list or one 422 AppError listing them all.
import { type AppError, validationError } from '../errors.ts';
import { checkPolicyRules, type PolicyRuleCode } from './rules.ts';
import { type PolicyContent, policyInputSchema } from './schema.ts';

export interface PolicyError {
  /** `policy_invalid` for a value out of bounds, else the rule's code; also the i18n key. */
  code: 'policy_invalid' | PolicyRuleCode;
  /** Dotted path of the field, e.g. `password.minLength` (empty for the whole policy). */
  field: string;
  message: string;
}

export type PolicyValidation = { ok: true; policy: PolicyContent } | { ok: false; errors: PolicyError[] };

/** Parses and checks a policy; `previous` is the stored version when this is an update. Never throws. */
export function validatePolicy(input: unknown, previous?: PolicyContent): PolicyValidation {
  const parsed = policyInputSchema.safeParse(input);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue): PolicyError => {
      if (issue.code === 'unrecognized_keys') {
        const field = [...issue.path, issue.keys[0]].map(String).join('.');
        return { code: 'policy_invalid', field, message: `${field}: is not a policy setting` };
      }
      const field = issue.path.map(String).join('.');
      return { code: 'policy_invalid', field, message: field ? `${field}: ${issue.message}` : issue.message };
    });
    return { ok: false, errors };
  }
  const violations = checkPolicyRules(parsed.data, previous);
  if (violations.length > 0) return { ok: false, errors: violations };
  return { ok: true, policy: parsed.data };
}

/** Every problem as one AppError (422; the first problem's code, also the i18n key; every field in details.issues). */
export function policyErrorToAppError(errors: PolicyError[]): AppError {
  const first = errors[0] ?? { code: 'policy_invalid', field: '', message: 'invalid policy' };
  const err = validationError(
    errors.map((e) => ({ path: e.field, message: e.message.startsWith(`${e.field}: `) ? e.message.slice(e.field.length + 2) : e.message, code: e.code })),
    first.code,
    422,
  );
  return Object.assign(err, { message: first.message });
}

/** Like validatePolicy, but returns the policy or throws a 422 AppError naming every problem. */
export function assertValidPolicy(input: unknown, previous?: PolicyContent): PolicyContent {
  const result = validatePolicy(input, previous);
  if (!result.ok) throw policyErrorToAppError(result.errors);
  return result.policy;
}
