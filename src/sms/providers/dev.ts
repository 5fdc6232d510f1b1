// Development provider: nothing leaves the machine; the message stays (sealed) in the log for the dev inbox page.
import type { Logger } from '../../logger.ts';
import { maskPhone } from '../phone.ts';
import type { SmsProvider } from './types.ts';

export function createDevProvider(logger: Logger): SmsProvider {
  return {
    async send(msg) {
      // Development only (refused in production): the text is logged so a developer can read the code.
      logger.info({ sms: { id: msg.messageId, to: maskPhone(msg.to), text: msg.body } }, 'development SMS (not sent)');
      return { providerMessageId: `dev-${msg.messageId}`, status: 'delivered' };
    },
    async verify() {
      return { ok: true, reason: 'development inbox' };
    },
  };
}
