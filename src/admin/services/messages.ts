// Read-only admin view of the SMS message log, newest first, filtered, with a cursor that rows sent meanwhile do not shift.
import type { z } from 'zod';
import type { MessageView, Sms } from '../../sms/index.ts';
import { keysetPaged, type Page } from './page.ts';
import type { messageListQuery } from './schemas/messages.ts';

export function createMessagesAdmin({ sms }: { sms: Pick<Sms, 'sender'> }) {
  return {
    async list(query: z.output<typeof messageListQuery>): Promise<Page<MessageView>> {
      const { limit, cursor, since, until, ...filters } = query;
      return keysetPaged(
        { limit, cursor },
        (n, after) => sms.sender.log({ ...filters, limit: n, since, before: until, after: after ? { createdAt: after.at, id: after.id } : undefined }),
        (m) => ({ at: m.createdAt, id: m.id }),
      );
    },

    get: (id: string): Promise<MessageView> => sms.sender.status(id),
  };
}

export type MessagesAdmin = ReturnType<typeof createMessagesAdmin>;
