// The closed list of error codes: each with its HTTP status (and the few others it may answer with) and whether it is safe to show.
/** `status`: what the code answers with; `also`: other statuses a caller may pick; `expose`: shown to the client (default: status < 500). */
interface ErrorSpec {
  readonly status: number;
  readonly also?: readonly number[];
  readonly expose?: boolean;
}

export const ERROR_CODES = {
  // Requests and transport
  invalid_request: { status: 400 },
  bad_form: { status: 400 },
  invalid_json: { status: 400 },
  invalid_cursor: { status: 400 },
  body_too_large: { status: 413 },
  unsupported_media_type: { status: 415 },
  not_found: { status: 404 },
  method_not_allowed: { status: 405 },
  conflict: { status: 409 },
  validation_failed: { status: 422, also: [400] },
  server_error: { status: 500, expose: false },
  /** The database could not be reached (e.g. while it restarts): the client may try again after Retry-After. */
  temporarily_unavailable: { status: 503, expose: true },
  // Sessions, sign-in and authorization
  csrf: { status: 403 },
  session_not_found: { status: 400, also: [401] },
  access_denied: { status: 400 },
  not_admin: { status: 403 },
  /** The console's own sign-in did not satisfy its demands (never an SMS code alone; MFA for admins who can). */
  console_acr_insufficient: { status: 403 },
  /** This browser may not sign in to this app here (the console's test app, outside the console that started it). */
  signin_not_allowed: { status: 403 },
  unauthorized: { status: 401 },
  invalid_token: { status: 401 },
  insufficient_scope: { status: 403 },
  // Applications (OIDC clients)
  client_invalid: { status: 400 },
  client_not_found: { status: 404, also: [422] },
  client_exists: { status: 409 },
  client_builtin: { status: 422 },
  client_public: { status: 422 },
  invalid_client_metadata: { status: 400 },
  // Users
  user_invalid: { status: 400 },
  user_not_found: { status: 404 },
  user_exists: { status: 409 },
  last_admin: { status: 422 },
  password_rejected: { status: 422 },
  // Policies
  policy_invalid: { status: 422, also: [400] },
  policy_not_found: { status: 404, also: [422] },
  policy_name_taken: { status: 409 },
  policy_in_use: { status: 422 },
  policy_is_default: { status: 422 },
  policy_reassign_to_itself: { status: 422 },
  policy_default_missing: { status: 500, expose: false },
  policy_sms_factor_used_by_reset: { status: 422 },
  policy_sms_reset_needs_sms_factor: { status: 422 },
  policy_mfa_required_without_factor: { status: 422 },
  /** Saving would leave no administrator able to sign in (MFA required, no verified phone). */
  policy_locks_out_last_admin: { status: 422 },
  // SMS accounts, templates, messages, factor
  sms_account_invalid: { status: 400 },
  sms_account_not_found: { status: 404, also: [422] },
  sms_account_name_taken: { status: 409 },
  sms_account_in_use: { status: 409 },
  sms_dev_refused: { status: 400, also: [503] },
  sms_not_configured: { status: 503 },
  sms_request_invalid: { status: 400 },
  sms_invalid_phone: { status: 400 },
  sms_message_not_found: { status: 404 },
  sms_template_invalid: { status: 400 },
  sms_template_not_found: { status: 404 },
  sms_template_too_long: { status: 400 },
  sms_resource_invalid: { status: 400 },
  sms_resource_taken: { status: 409 },
  sms_route_invalid: { status: 400 },
  sms_route_not_found: { status: 404 },
  sms_provider_template_invalid: { status: 400 },
  sms_signature_not_found: { status: 404 },
  sms_provider_template_not_found: { status: 404 },
  sms_factor_invalid: { status: 422, also: [400] },
  sms_factor_account_unverified: { status: 422 },
  audit_query_invalid: { status: 400 },
  // Internal calls that broke their contract (a programming error, never shown)
  code_request_invalid: { status: 500, expose: false },
  sms_sending_paused: { status: 503, expose: true },
  sms_destination_blocked: { status: 429 },
  send_limits_request_invalid: { status: 500, expose: false },
  send_limits_settings_invalid: { status: 500, expose: false },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

type Spec<C extends ErrorCode> = (typeof ERROR_CODES)[C];

/** The statuses a code may answer with: its own, and any listed under `also`. */
export type StatusOf<C extends ErrorCode> = C extends ErrorCode ? Spec<C>['status'] | (Spec<C> extends { also: readonly (infer S)[] } ? S : never) : never;

export const errorCodes = Object.keys(ERROR_CODES) as ErrorCode[];

export const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(ERROR_CODES, code);

export function errorSpec(code: ErrorCode): { status: number; also: readonly number[]; expose: boolean } {
  const spec: ErrorSpec = ERROR_CODES[code];
  return { status: spec.status, also: spec.also ?? [], expose: spec.expose ?? spec.status < 500 };
}

/** The i18n key of a code's sentence (in src/i18n/errors/<lang>.json). */
export const errorKey = (code: ErrorCode): string => `errors.${code}`;
