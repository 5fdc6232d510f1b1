// Small images and a branding helper shared by the branding suites.
import { crc32, deflateSync } from 'node:zlib';
import { brandingPatchInput } from '../../src/branding/schema.ts';
import type { TestServer } from '../helpers/server.ts';

/** A real PNG of one colour, width × height pixels. */
export function png(width: number, height: number, [r, g, b]: [number, number, number] = [185, 28, 28]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

export const dataUrlOf = (type: string, data: Buffer) => `data:${type};base64,${data.toString('base64')}`;

/** A 40×20 PNG logo. */
export const PNG = dataUrlOf('image/png', png(40, 20));

/** A tiny ICO header (enough for its signature). */
export const ICO = `data:image/x-icon;base64,${Buffer.from([0, 0, 1, 0, 1, 0, 16, 16, 0, 0, 1, 0, 32, 0, 0, 0, 0, 0, 22, 0, 0, 0]).toString('base64')}`;

export const ADMIN_ACTOR = { kind: 'user' as const, id: 'branding-test' };

/** Sets branding as the admin API and console do (through the admin service, validated and audited). */
export async function brand(server: TestServer, clientId: string | null, patch: Record<string, unknown>) {
  return server.container.admin.branding.update(ADMIN_ACTOR, clientId, brandingPatchInput.parse(patch));
}
