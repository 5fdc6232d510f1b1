// Development only: create a `demo` user once and print its password.
import { randomBytes } from 'node:crypto';
import type { UsersRepo } from '../db/users.ts';
import type { Logger } from '../logger.ts';
import { hashPassword } from '../security/passwords.ts';

export async function ensureDemoUser(users: UsersRepo, logger: Logger): Promise<void> {
  if (await users.findByLogin('demo')) return;
  const password = randomBytes(9).toString('base64url');
  try {
    await users.create({ username: 'demo', email: 'demo@example.com', emailVerified: true, name: 'Demo User', passwordHash: await hashPassword(password) });
  } catch {
    return; // another instance created it first
  }
  logger.warn(`Development: created user "demo" with password "${password}" (shown once).`);
}
