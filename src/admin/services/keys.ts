// Key rotation for the admin API: list signing and cookie keys with their stages, start a staged rotation (audited).
import type { Knex } from 'knex';
import type { z } from 'zod';
import { COOKIE_DEFAULTS, type KeyStatus, keyStatus, type RotationTiming, rotateCookieKeys, rotateSigningKeys, SIGNING_DEFAULTS } from '../../oidc/key-rotation.ts';
import type { SecretBox } from '../../security/secrets.ts';
import type { Actor } from './actor.ts';
import type { createAuditTrail } from './audit-trail.ts';
import type { keyRotateInput, keyView } from './schemas/keys.ts';

export interface KeyStoreDeps {
  db: Knex;
  box: SecretBox;
  now: () => number;
}

const view = (k: KeyStatus): z.infer<typeof keyView> => ({ kind: k.kind, id: k.id, alg: k.alg, state: k.state, signsFrom: k.signsFrom, removeAt: k.removeAt ?? null });

export function createKeysAdmin({ keyStore, audit }: { keyStore: KeyStoreDeps; audit: ReturnType<typeof createAuditTrail> }) {
  const { db, box, now } = keyStore;
  return {
    async list() {
      return { items: (await keyStatus(db, box, now())).filter((k) => k.state !== 'removed').map(view) };
    },
    async rotate(actor: Actor, input: z.infer<typeof keyRotateInput>) {
      const timing = (d: RotationTiming): RotationTiming => ({
        delayMs: input.delaySeconds === undefined ? d.delayMs : input.delaySeconds * 1000,
        retainMs: input.retainSeconds === undefined ? d.retainMs : input.retainSeconds * 1000,
      });
      if (input.kind !== 'cookie') await rotateSigningKeys(db, box, now(), timing(SIGNING_DEFAULTS));
      if (input.kind !== 'signing') await rotateCookieKeys(db, box, now(), timing(COOKIE_DEFAULTS));
      await audit.record(actor, 'keys.rotate', input.kind, { after: { ...input } });
      return this.list();
    },
  };
}
