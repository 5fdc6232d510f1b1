// Password hashing with argon2id at OWASP parameters; the PHC string stores the parameters with the hash.
import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import pLimit from 'p-limit';

export const ARGON2_PARAMS = { algorithm: 2 /* Algorithm.Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

// Each computation holds 19 MiB and keeps one core busy: no more at once than there are cores (more would only add
// memory, not throughput; the rest wait their turn instead of filling libuv's thread pool).
const argon2 = pLimit(Math.max(1, availableParallelism()));

export function hashPassword(password: string): Promise<string> {
  return argon2(() => hash(password, ARGON2_PARAMS));
}

const verifyHash = (passwordHash: string, password: string): Promise<boolean> => argon2(() => verify(passwordHash, password));

// A hash of a random password, verified against when the account does not exist, so timing does not reveal it.
let decoy: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    decoy ??= hashPassword(`decoy-${Math.random()}`);
    await verifyHash(await decoy, password).catch(() => false);
    return false;
  }
  try {
    return await verifyHash(passwordHash, password);
  } catch {
    return false;
  }
}
