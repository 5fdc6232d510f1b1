// Development inbox: messages of the `dev` provider, opened for reading with the whole number (page at /dev/sms); never mounted in production.
import Router from '@koa/router';
import type { SecretBox } from '../security/secrets.ts';
import type { ScreenRenderer } from '../views.ts';
import type { MessagesRepo } from './outbox/repo.ts';
import { toE164 } from '../phone.ts';

export interface DevMessage {
  id: string;
  /** The whole recipient number (E.164): the inbox exists only outside production, for the developer's own test numbers. */
  to: string;
  toMasked: string;
  purpose: string;
  language: string;
  text: string;
  status: string;
  segments: number;
  encoding: string;
  createdAt: number;
}

export function createDevInbox(deps: { repo: MessagesRepo; box: SecretBox }) {
  const open = (sealed: string | null) => {
    try {
      return sealed ? deps.box.decrypt(sealed) : '';
    } catch {
      return '(sealed under a key that is no longer configured)';
    }
  };
  return {
    /** Newest first; `to` (E.164) narrows to one recipient, e.g. to read the last code sent to a number. */
    async list(q: { to?: string; limit?: number } = {}): Promise<DevMessage[]> {
      // Every known key's hash: messages logged before a SECRET_KEY rotation are found too.
      const toHash = q.to ? deps.box.hmacs('sms-recipient', toE164(q.to)) : undefined;
      const rows = await deps.repo.list({ provider: 'dev', limit: Math.min(q.limit ?? 50, 200), toHash });
      return rows.map((m) => ({
        id: m.id,
        to: (m.toSealed && open(m.toSealed)) || m.toMasked,
        toMasked: m.toMasked,
        purpose: m.purpose,
        language: m.language,
        text: open(m.bodySealed),
        status: m.status,
        segments: m.segments,
        encoding: m.encoding,
        createdAt: m.createdAt,
      }));
    },
  };
}

export type DevInbox = ReturnType<typeof createDevInbox>;

export const DEV_INBOX_PATH = '/dev/sms';

/** The inbox page (HTML when screens are available and asked for, JSON otherwise). */
export function devInboxRoutes(deps: { inbox: DevInbox; screens?: Pick<ScreenRenderer, 'render'> }): Router {
  const router = new Router();
  router.get(DEV_INBOX_PATH, async (ctx) => {
    const to = typeof ctx.query.to === 'string' && ctx.query.to ? ctx.query.to : undefined;
    const messages = await deps.inbox.list({ to });
    ctx.set('cache-control', 'no-store');
    if (deps.screens && ctx.accepts('json', 'html') === 'html') {
      await deps.screens.render(ctx, 'dev-inbox', { title: 'Development SMS inbox', messages, to: to ?? '', refreshSeconds: 3 });
      return;
    }
    ctx.body = { messages };
  });
  return router;
}
