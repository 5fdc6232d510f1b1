// The twilio SDK (about 10 MiB once loaded), required when an account first sends or checks a callback, not at start.
import { createRequire } from 'node:module';
import type twilio from 'twilio';

export type TwilioSdk = typeof twilio;

const require = createRequire(import.meta.url);
let sdk: TwilioSdk | undefined;

export function twilioSdk(): TwilioSdk {
  sdk ??= require('twilio') as TwilioSdk;
  return sdk;
}
