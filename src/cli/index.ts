// `npm run cli -- <command>`: create users and clients, re-encrypt secrets and rotate keys from the command line.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../config/index.ts';
import { createClientsRepo } from '../db/clients.ts';
import { createKnex, migrateLatest } from '../db/knex.ts';
import { createUsersRepo } from '../db/users.ts';
import { hashPassword } from '../security/passwords.ts';
import { createSecretBox } from '../security/secrets.ts';
import { keysUsage, runKeyCommand } from './keys.ts';

const usage = `Usage:
  npm run cli -- user:create --username NAME [--email EMAIL] --password PASSWORD [--phone E164] [--name "Full Name"] [--role admin]
  npm run cli -- client:create --name NAME --redirect-uri URL [--redirect-uri URL ...] [--post-logout-redirect-uri URL] [--first-party] [--public]
  npm run cli -- client:list
${keysUsage}`;

const userInput = z.object({
  username: z.string().min(1, 'is required').max(191),
  email: z.email('must be an email address').optional(),
  password: z.string().min(8, 'must be at least 8 characters').max(1024),
  phone: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +61491570156').optional(),
  name: z.string().max(255).optional(),
  role: z.array(z.string()).optional(),
});

const clientInput = z.object({
  name: z.string().min(1, 'is required').max(255),
  'redirect-uri': z.array(z.url('must be an absolute URL')).min(1, 'at least one is required'),
  'post-logout-redirect-uri': z.array(z.url('must be an absolute URL')).optional(),
  'first-party': z.boolean().optional(),
  public: z.boolean().optional(),
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function parse<T>(schema: z.ZodType<T>, values: unknown): T {
  const r = schema.safeParse(values);
  if (!r.success) fail(r.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
  return r.data;
}

const [command, ...rest] = process.argv.slice(2);
const { values } = parseArgs({
  args: rest,
  strict: true,
  options: {
    username: { type: 'string' },
    email: { type: 'string' },
    password: { type: 'string' },
    phone: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', multiple: true },
    'redirect-uri': { type: 'string', multiple: true },
    'post-logout-redirect-uri': { type: 'string', multiple: true },
    'first-party': { type: 'boolean' },
    public: { type: 'boolean' },
    signing: { type: 'boolean' },
    cookies: { type: 'boolean' },
    delay: { type: 'string' },
    retain: { type: 'string' },
  },
});

const config = loadConfig();
const db = createKnex(config.database);
try {
  await migrateLatest(db);
  const box = createSecretBox(config.secretKey, config.previousSecretKeys);
  if (command === 'user:create') {
    const input = parse(userInput, values);
    const users = createUsersRepo(db);
    if (await users.findByLogin(input.username)) fail(`A user named ${input.username} already exists.`);
    if (input.email && (await users.findByLogin(input.email))) fail(`A user with email ${input.email} already exists.`);
    const user = await users.create({
      username: input.username,
      email: input.email,
      passwordHash: await hashPassword(input.password),
      name: input.name,
      phoneNumber: input.phone,
      phoneNumberVerified: Boolean(input.phone),
      roles: input.role,
    });
    console.log(`Created user ${user.username} (${user.id}).`);
  } else if (command === 'client:create') {
    const input = parse(clientInput, values);
    const client = await createClientsRepo(db, box).upsert(
      {
        client_name: input.name,
        redirect_uris: input['redirect-uri'],
        post_logout_redirect_uris: input['post-logout-redirect-uri'] ?? [],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: input.public ? 'none' : 'client_secret_basic',
      },
      { firstParty: input['first-party'] ?? false },
    );
    console.log(`client_id:     ${client.client_id}`);
    if (client.client_secret) console.log(`client_secret: ${client.client_secret}  (shown once)`);
  } else if (command === 'client:list') {
    const rows = await db('clients').select('client_id', 'client_name', 'first_party').orderBy('client_name');
    for (const r of rows) console.log(`${r.client_id}\t${r.client_name}${r.first_party ? '\t(first-party)' : ''}`);
  } else if (command?.startsWith('keys:') && ['keys:reencrypt', 'keys:rotate', 'keys:status'].includes(command)) {
    process.exitCode = await runKeyCommand(command, values, { db, box }).catch((err: Error) => fail(err.message));
  } else {
    fail(usage);
  }
} finally {
  await db.destroy();
}
