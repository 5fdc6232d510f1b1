// One entry point to check a submitted policy: schema bounds, then cross-section rules; as a result list or a 422 AppError.
import { AppError } from '../errors.ts';
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

/** The first problem as the AppError the API answers with (422, code = i18n key, field in params). */
export function policyErrorToAppError(error: PolicyError): AppError {
  return new AppError(error.code, 422, { message: error.message, params: { field: error.field } });
}

/** Like validatePolicy, but returns the policy or throws a 422 AppError for the first problem. */
export function assertValidPolicy(input: unknown, previous?: PolicyContent): PolicyContent {
  const result = validatePolicy(input, previous);
  if (!result.ok) throw policyErrorToAppError(result.errors[0]!);
  return result.policy;
}
