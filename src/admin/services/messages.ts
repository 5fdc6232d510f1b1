// Read-only admin view of the SMS message log, newest first, filtered (the recipient by keyed hash), with a cursor that rows sent meanwhile do not shift.
import type { z } from 'zod';
import { translator } from '../../i18n/index.ts';
import { reasonKey } from '../../sms/reasons.ts';
import type { MessageView, Sms } from '../../sms/index.ts';
import { countryOfMasked } from '../../metrics/country.ts';
import { MONEY_SCALE, priceOf, type Spend } from '../../sms/spend/index.ts';
import { toView } from '../../sms/outbox/view.ts';
import { keysetPaged, type Page } from './page.ts';
import { callingCodeOf, type messageDetailView, type messageListQuery } from './schemas/messages.ts';

export type MessageDetail = z.input<typeof messageDetailView>;

export interface MessagesAdminDeps {
  sms: Pick<Sms, 'sender' | 'log' | 'recipientHashes'> & { resources?: Pick<Sms['resources'], 'signatures' | 'templates'> };
  /** The spend settings' prices, for the estimated price of a message (none without them). */
  spend?: Pick<Spend, 'settings'>;
}

export function createMessagesAdmin({ sms, spend }: MessagesAdminDeps) {
  const en = translator('en');
  const meaning = (reason: string | null) => (reason ? en(reasonKey(reason)) : null);

  /**
   * What the message cost as the spend limits counted it: the price per segment set for its country (the main country
   * of its calling code) and provider, times its segments. The providers' invoices are not read, so it is an estimate.
   */
  async function priceOfMessage(m: MessageView): Promise<MessageDetail['price']> {
    if (!spend) return null;
    const s = await spend.settings.get();
    const country = countryOfMasked(m.to);
    const perSegment = priceOf(s, country, m.provider);
    const segments = Math.max(1, m.segments);
    return { amount: (Math.round(perSegment * MONEY_SCALE) * segments) / MONEY_SCALE, currency: s.currency, perSegment, segments, country, estimated: true };
  }
  /** The signature and provider template of a message sent with approved templates (deleted ones say so). */
  async function approvedTemplate(m: MessageView): Promise<{ signName?: string | null; providerTemplateCode?: string | null }> {
    if (!sms.resources || (!m.signatureId && !m.providerTemplateId)) return {};
    const name = async <T>(id: string | null, get: (id: string) => Promise<T>, pick: (v: T) => string) => (id ? get(id).then(pick, () => null) : null);
    const [signName, providerTemplateCode] = await Promise.all([
      name(m.signatureId, sms.resources.signatures.get, (s) => s.signName),
      name(m.providerTemplateId, sms.resources.templates.get, (t) => t.code),
    ]);
    return { signName, providerTemplateCode };
  }

  return {
    async list(query: z.output<typeof messageListQuery>): Promise<Page<MessageView>> {
      const { limit, cursor, since, until, to, country, ...filters } = query;
      const toHash = to ? sms.recipientHashes(to) : undefined;
      const callingCode = country ? callingCodeOf(country) : undefined;
      return keysetPaged(
        { limit, cursor },
        async (n, after) =>
          (await sms.log.list({ ...filters, toHash, callingCode, limit: n, since, before: until, after: after ? { createdAt: after.at, id: after.id } : undefined })).map(toView),
        (m) => ({ at: m.createdAt, id: m.id }),
      );
    },

    get: (id: string): Promise<MessageView> => sms.sender.status(id),

    /** The message with the meaning of its failure, its timeline, template, every attempt and every report received. */
    async detail(id: string): Promise<MessageDetail> {
      const m = await sms.sender.status(id);
      const timeline = [{ status: 'queued', at: m.createdAt }];
      if (m.acceptedAt !== null) timeline.push({ status: 'accepted', at: m.acceptedAt });
      if (m.final) timeline.push({ status: m.status, at: m.completedAt ?? m.updatedAt });
      const [attempts, reports, price, approved] = await Promise.all([sms.log.attempts(id), sms.log.reports(id), priceOfMessage(m), approvedTemplate(m)]);
      const attemptLog = attempts.map(({ messageId: _m, ...a }) => ({ ...a, reasonText: meaning(a.reason) }));
      const callbacks = reports.map(({ messageId: _m, ...r }) => ({ ...r, reasonText: meaning(r.reason) }));
      return { ...m, reasonText: m.reasonKey ? en(m.reasonKey) : null, timeline, template: { purpose: m.purpose, language: m.language, ...approved }, attemptLog, callbacks, price };
    },

    /** A user's recent messages, found by their phone number's hash. */
    recentTo: async (e164: string, limit = 10): Promise<MessageView[]> => (await sms.log.list({ toHash: sms.recipientHashes(e164), limit })).map(toView),
  };
}

export type MessagesAdmin = ReturnType<typeof createMessagesAdmin>;
