// Rules of the passwordless API: which clients may use it, which flow a code belongs to, and starting a sign-in by SMS.
import type { ClientsRepo } from '../../db/clients.ts';
import type { User } from '../../db/users.ts';
import { createPasswordlessService, type PasswordlessDeps } from '../../flows/passwordless/service.ts';
import { PASSWORDLESS_STATE_KEY, passwordlessStateSchema } from '../../flows/passwordless/state.ts';
import { apiFlowPrefix, type ServerFlows } from '../../flows/state/server.ts';
import { parsePhoneInput } from '../../phone.ts';
import { BUILTIN_LANGUAGES } from '../../sms/templates/defaults.ts';
import { chooseLanguage, type LanguageHints } from '../../sms/templates/language.ts';
import { OTP_GRANT } from './schemas.ts';

export interface NativeDeps {
  /** What the passwordless service is built from; the API builds one as is and one that never signs up. */
  passwordless: PasswordlessDeps;
  flows: ServerFlows;
  clients: ClientsRepo;
  /** The sign-in decision for a user who just proved the SMS code at this client: does SMS alone complete it? */
  signInComplete(userId: string, clientId: string): Promise<boolean>;
  defaultLanguage: string;
  /**
   * Least time, in ms, a start takes whoever's number it is: queuing an SMS costs more than keeping a decoy, and the
   * difference must not show. Default 250.
   */
  sendFloorMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` and returns no sooner than `floorMs` after it started. */
async function atLeast<T>(floorMs: number, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    const left = floorMs - (performance.now() - started);
    if (left > 0) await sleep(left);
  }
}

export interface StartRequest {
  clientId: string;
  applicationName?: string;
  phone: string;
  ip: string;
  hints: LanguageHints;
  /** `/otp/challenge` with `allow_signup: false` (or left out): an unknown number never gets an account. */
  noSignups?: boolean;
}

export type StartOutcome =
  | { ok: true; flowId: string; phone: string; language: string }
  | { ok: false; reason: 'bad_phone' }
  | { ok: false; reason: 'wait'; waitSeconds: number };

export type Eligibility = { ok: true } | { ok: false; reason: 'third_party' | 'grant_not_allowed' | 'connection_off' };

/** The flow id of a code started by `/passwordless/start`: bound to the client and the number. */
export const numberFlowId = (clientId: string, e164: string) => `${apiFlowPrefix(clientId)}:${e164}`;

/** Whether an `auth_session` names a flow this client started (the flow id carries the client id). */
export function sessionOfClient(authSession: string, clientId: string): boolean {
  const prefix = `${apiFlowPrefix(clientId)}:`;
  return authSession.startsWith(prefix) && !authSession.slice(prefix.length).includes(':');
}

export function createNativeService(deps: NativeDeps) {
  const service = createPasswordlessService(deps.passwordless);
  const narrowed = createPasswordlessService({
    ...deps.passwordless,
    connection: { ...deps.passwordless.connection, get: async () => ({ ...(await deps.passwordless.connection.get()), signups: false }) },
  });
  const openFlow = (flowId: string) => deps.flows.open(flowId, PASSWORDLESS_STATE_KEY, passwordlessStateSchema);

  return {
    /** First-party, allowed the OTP grant, and the SMS connection on for it: otherwise the API is closed to the client. */
    async eligibility(clientId: string, grantTypes: readonly string[]): Promise<Eligibility> {
      const stored = await deps.clients.find(clientId);
      if (!stored?.firstParty) return { ok: false, reason: 'third_party' };
      if (!grantTypes.includes(OTP_GRANT)) return { ok: false, reason: 'grant_not_allowed' };
      if (!(await service.availableFor(clientId))) return { ok: false, reason: 'connection_off' };
      return { ok: true };
    },

    /** Whether an admin trusts this client to name its users' IP in `auth0-forwarded-for`. */
    async trustsForwardedFor(clientId: string): Promise<boolean> {
      return (await deps.clients.find(clientId))?.metadata.forwarded_for_trusted === true;
    },

    /** The language of the answer, from the request's headers alone (never a user's locale: the answer must not differ). */
    requestLanguage(hints: LanguageHints): string {
      return chooseLanguage({ requestLanguage: hints.requestLanguage, acceptLanguage: hints.acceptLanguage }, BUILTIN_LANGUAGES, deps.defaultLanguage).language;
    },

    /**
     * Checks the number (E.164 only, mobile, allowed country) before anything is sent, then texts a code (or keeps a
     * decoy) bound to a flow: `api:<client_id>:<E.164>` for `/passwordless/start`, a fresh `auth_session` otherwise.
     */
    async start(req: StartRequest, flowKind: 'number' | 'session'): Promise<StartOutcome> {
      const c = await service.settings();
      const parsed = /^\+[1-9]\d{6,14}$/.test(req.phone) ? parsePhoneInput(req.phone, { defaultCountry: null, allowedCountries: c.allowedCountries }) : undefined;
      if (!parsed?.ok) return { ok: false, reason: 'bad_phone' };
      const flowId =
        flowKind === 'number' ? await deps.flows.begin(numberFlowId(req.clientId, parsed.e164)) : await deps.flows.start(apiFlowPrefix(req.clientId));
      const use = req.noSignups ? narrowed : service;
      const ctx = { ip: req.ip, hints: req.hints, applicationName: req.applicationName, clientId: req.clientId };
      const sent = await atLeast(deps.sendFloorMs ?? 250, () => use.sendCode(openFlow(flowId), parsed.e164, ctx));
      if (!sent.ok) {
        if (flowKind === 'session') await deps.flows.end(flowId);
        return sent.reason === 'wait' ? { ok: false, reason: 'wait', waitSeconds: sent.waitSeconds } : { ok: false, reason: 'bad_phone' };
      }
      return { ok: true, flowId, phone: parsed.e164, language: this.requestLanguage(req.hints) };
    },

    /** Verifies a code in its flow; a right one signs the user in (or up) and ends the flow. */
    async verify(flowId: string, otp: string, clientId?: string) {
      const outcome = await service.verify(openFlow(flowId), otp, undefined, clientId);
      if (outcome.ok) await deps.flows.end(flowId);
      return outcome;
    },

    /** The number a flow's code went to, to check a `username` sent with an `auth_session`. */
    async flowPhone(flowId: string): Promise<string | undefined> {
      return (await openFlow(flowId).read())?.phone;
    },

    /** Whether the sign-in needs more than the SMS code (a second factor, a step on the hosted screens): Auth0's mfa_required. */
    needsSecondFactor: async (user: User, clientId: string) => !(await deps.signInComplete(user.id, clientId)),
  };
}

export type NativeService = ReturnType<typeof createNativeService>;
