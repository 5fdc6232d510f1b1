// /keys: signing and cookie keys with their stages, and a staged rotation (new keys published first, signing later).
import type { AdminServices } from '../../services/index.ts';
import { keyList, keyRotateInput } from '../../services/schemas/keys.ts';
import { type AnyRoute, defineRoute } from '../route.ts';

export function keyRoutes({ keys }: AdminServices): AnyRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/keys', operationId: 'listKeys', summary: 'Signing and cookie keys and their stage (no key material)', tag: 'Keys', scope: 'read',
      response: keyList,
      handler: () => keys.list(),
    }),
    defineRoute({
      method: 'post', path: '/keys/rotate', operationId: 'rotateKeys', summary: 'Add new signing and/or cookie keys that sign after a delay; the old ones verify until retired', tag: 'Keys', scope: 'write',
      body: keyRotateInput, response: keyList, errors: [422],
      handler: ({ body, actor }) => keys.rotate(actor, body),
    }),
  ];
}
