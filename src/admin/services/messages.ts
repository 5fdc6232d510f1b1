// Read-only admin view of the SMS message log, newest first, filtered (the recipient by keyed hash), with a cursor that rows sent meanwhile do not shift.
import type { z } from 'zod';
import { translator } from '../../i18n/index.ts';
import { reasonKey } from '../../sms/reasons.ts';
import type { MessageView, Sms } from '../../sms/index.ts';
import { toView } from '../../sms/outbox/view.ts';
import { keysetPaged, type Page } from './page.ts';
import { callingCodeOf, type messageDetailView, type messageListQuery } from './schemas/messages.ts';

export type MessageDetail = z.input<typeof messageDetailView>;

export interface MessagesAdminDeps {
  sms: Pick<Sms, 'sender' | 'log' | 'recipientHashes'>;
}

export function createMessagesAdmin({ sms }: MessagesAdminDeps) {
  const en = translator('en');
  const meaning = (reason: string | null) => (reason ? en(reasonKey(reason)) : null);
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
      const [attempts, reports] = await Promise.all([sms.log.attempts(id), sms.log.reports(id)]);
      const attemptLog = attempts.map(({ messageId: _m, ...a }) => ({ ...a, reasonText: meaning(a.reason) }));
      const callbacks = reports.map(({ messageId: _m, ...r }) => ({ ...r, reasonText: meaning(r.reason) }));
      return { ...m, reasonText: m.reasonKey ? en(m.reasonKey) : null, timeline, template: { purpose: m.purpose, language: m.language }, attemptLog, callbacks, price: null };
    },

    /** A user's recent messages, found by their phone number's hash. */
    recentTo: async (e164: string, limit = 10): Promise<MessageView[]> => (await sms.log.list({ toHash: sms.recipientHashes(e164), limit })).map(toView),
  };
}

export type MessagesAdmin = ReturnType<typeof createMessagesAdmin>;
