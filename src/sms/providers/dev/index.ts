// Development provider: nothing leaves the machine; the message stays (sealed) in the log for the dev inbox page.
import { z } from 'zod';
import { maskPhone } from '../../../phone.ts';
import type { ProviderDescriptor } from '../types.ts';

export const devProvider: ProviderDescriptor<Record<string, never>> = {
  kind: 'dev',
  label: 'admin.sms_accounts.provider.dev',
  settings: z.object({}).strict(),
  secrets: { fields: [] },
  verifiedFields: [],
  destinationFields: [],
  destinations: () => [],
  development: true,
  create: (_s, { logger }) => ({
    async send(msg) {
      // Development only (refused in production): the text is logged so a developer can read the code.
      logger.info({ sms: { id: msg.messageId, to: maskPhone(msg.to), text: msg.body } }, 'development SMS (not sent)');
      return { providerMessageId: `dev-${msg.messageId}`, status: 'delivered' };
    },
    async verify() {
      return { ok: true, reason: 'development inbox' };
    },
  }),
  mapError: () => ({ reason: 'unknown', kind: 'permanent' }),
  form: { fields: [], note: 'admin.sms_accounts.dev_hint' },
};
