// Every scenario by name.
import { baselineLogin } from './baseline-login.ts';
import { clientCredentials } from './client-credentials.ts';
import { passwordLogin } from './password-login.ts';
import { refresh } from './refresh.ts';
import { reset } from './reset.ts';
import { smsLogin } from './sms-login.ts';
import type { Scenario } from './types.ts';

export const scenarios: Record<string, Scenario<never>> = Object.fromEntries(
  [smsLogin, reset, passwordLogin, clientCredentials, refresh, baselineLogin].map((s) => [s.name, s as Scenario<never>]),
);
