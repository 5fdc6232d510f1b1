// Runs the official auth0 SDK (legacy Authentication API client) against Codeword; started with NODE_EXTRA_CA_CERTS.
// Reads the code from stdin after sendSMS, prints one JSON line per step.
import { createInterface } from 'node:readline';
import { AuthenticationClient } from 'auth0/legacy';

const { DOMAIN, CLIENT_ID, CLIENT_SECRET, PHONE, LANGUAGE } = process.env;
const print = (step, value) => process.stdout.write(`${JSON.stringify({ step, ...value })}\n`);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

try {
  const auth = new AuthenticationClient({ domain: DOMAIN, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, headers: { 'x-request-language': LANGUAGE } });
  await auth.passwordless.sendSMS({ phone_number: PHONE });
  print('sent', {});
  const code = (await lines.next()).value.trim();
  const login = await auth.passwordless.loginWithSMS({ phone_number: PHONE, code, scope: 'openid offline_access' });
  print('login', { data: login.data });
  const refreshed = await auth.oauth.refreshTokenGrant({ refresh_token: login.data.refresh_token });
  print('refresh', { data: refreshed.data });
} catch (err) {
  print('error', { message: String(err?.message ?? err), body: err?.body ?? null, status: err?.statusCode ?? null });
}
process.exit(0);
