// Bodies of the passwordless API as Auth0's SDKs send them (JSON or form): strict, so an unknown property is refused.
import { z } from 'zod';

/** The grant type Auth0's SDKs ask `/oauth/token` for after a code was sent. */
export const OTP_GRANT = 'http://auth0.com/oauth/grant-type/passwordless/otp';

const credentials = {
  client_id: z.string().max(128).optional(),
  client_secret: z.string().max(512).optional(),
  client_assertion: z.string().max(8192).optional(),
  client_assertion_type: z.string().max(128).optional(),
};

export const authParamsSchema = z
  .object({ scope: z.string().max(1000), state: z.string().max(2000), audience: z.string().max(2000), resource: z.string().max(2000) })
  .partial()
  .strict();

/** `/passwordless/start`. `send` defaults to "code" (Auth0's Node SDK leaves it out). */
export const startBody = z
  .object({
    ...credentials,
    connection: z.unknown().optional(),
    phone_number: z.unknown().optional(),
    send: z.unknown().optional(),
    authParams: z.unknown().optional(),
  })
  .strict();
export type StartBody = z.infer<typeof startBody>;

/** `/otp/challenge`: `allow_signup` may only narrow the connection's own sign-up setting. */
export const challengeBody = z
  .object({
    ...credentials,
    connection: z.unknown().optional(),
    phone_number: z.unknown().optional(),
    allow_signup: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
    delivery_method: z.unknown().optional(),
  })
  .strict();
export type ChallengeBody = z.infer<typeof challengeBody>;

/** What a start answers, the same for every number: the number as parsed and the language chosen from the request. */
export const startResponse = z.object({
  phone_number: z.string().describe('The number in E.164, as it was sent.'),
  request_language: z.string().describe('The language chosen from x-request-language and accept-language alone.'),
});

export const challengeResponse = z.object({
  auth_session: z.string().describe('Pass it with the code to /oauth/token; it works only for the client that started it.'),
});

/** Parameters the OTP grant reads; oidc-provider strips any a grant did not register. */
export const OTP_GRANT_PARAMS = ['username', 'otp', 'realm', 'auth_session', 'scope', 'audience', 'resource'] as const;
