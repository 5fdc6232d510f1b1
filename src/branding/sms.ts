// SMS texts for an app carry its branding: application.name and support_contact, through the sender every flow uses.
import type { SendRequest, SmsSender } from '../sms/sender.ts';
import type { Branding } from './service.ts';

/**
 * application.name: the app's branded name, else the name the flow gave (the app's client name), else the
 * installation's branded name, else the built-in "Codeword". support_contact: the app's, else the installation's, else SUPPORT_CONTACT.
 */
export function brandedSender(sender: SmsSender, branding: Pick<Branding, 'forClient'>): SmsSender {
  const branded = async (req: SendRequest): Promise<SendRequest> => {
    const b = await branding.forClient(typeof req.clientId === 'string' ? req.clientId : null);
    const applicationName = b.appName ?? req.applicationName ?? b.globalName ?? undefined;
    const supportContact = req.supportContact ?? b.supportContact ?? undefined;
    return { ...req, ...(applicationName ? { applicationName } : {}), ...(supportContact ? { supportContact } : {}) };
  };
  return {
    ...sender,
    enqueue: async (req) => sender.enqueue(await branded(req)),
    decoy: async (req) => sender.decoy(await branded(req)),
  };
}
