// `npm run cli -- <command>`: create users and clients, re-encrypt secrets and rotate keys from the command line.
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { clientCreateInput } from '../admin/services/schemas/clients.ts';
import { userCreateInput } from '../admin/services/schemas/users.ts';
import { loadConfig } from '../config/index.ts';
import { createClientsRepo } from '../db/clients.ts';
import { createKnex, migrateLatest } from '../db/knex.ts';
import { createUsersRepo } from '../db/users.ts';
import { type Issue, isAppError, parseWith } from '../errors.ts';
import { hashPassword } from '../security/passwords.ts';
import { createSecretBox } from '../security/secrets.ts';
import { keysUsage, runKeyCommand } from './keys.ts';

const usage = `Usage:
  npm run cli -- user:create --username NAME [--email EMAIL] --password PASSWORD [--phone E164] [--name "Full Name"] [--role admin]
  npm run cli -- client:create --name NAME --redirect-uri URL [--redirect-uri URL ...] [--post-logout-redirect-uri URL] [--first-party] [--public]
  npm run cli -- client:list
${keysUsage}`;

/** The admin API's field names as the flags that set them, for error messages. */
const FLAGS: Record<string, string> = {
  username: '--username',
  email: '--email',
  password: '--password',
  phoneNumber: '--phone',
  name: '--name',
  roles: '--role',
  client_name: '--name',
  redirect_uris: '--redirect-uri',
  post_logout_redirect_uris: '--post-logout-redirect-uri',
  first_party: '--first-party',
  token_endpoint_auth_method: '--public',
};

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/** Parses with the admin API's schema for the same operation; every failed field is printed with its flag. */
function checked<S extends z.ZodType>(schema: S, input: unknown, code: 'user_invalid' | 'client_invalid'): z.output<S> {
  try {
    return parseWith(schema, input, code);
  } catch (err) {
    if (!isAppError(err)) throw err;
    const issues = (err.details as { issues?: Issue[] } | undefined)?.issues ?? [];
    return fail(issues.map((i) => `${FLAGS[i.path.split('.')[0]!] ?? i.path}: ${i.message}`).join('\n') || err.message);
  }
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
    const input = checked(
      userCreateInput,
      { username: values.username, email: values.email, password: values.password, phoneNumber: values.phone, name: values.name, roles: values.role },
      'user_invalid',
    );
    if (!input.username) fail('--username: is required');
    if (!input.password || input.password.length < 8) fail('--password: must be at least 8 characters');
    const users = createUsersRepo(db);
    if (await users.findByLogin(input.username)) fail(`A user named ${input.username} already exists.`);
    if (input.email && (await users.findByLogin(input.email))) fail(`A user with email ${input.email} already exists.`);
    const user = await users.create({
      username: input.username,
      email: input.email,
      passwordHash: await hashPassword(input.password),
      name: input.name,
      phoneNumber: input.phoneNumber,
      phoneNumberVerified: Boolean(input.phoneNumber),
      roles: input.roles,
    });
    console.log(`Created user ${user.username} (${user.id}).`);
  } else if (command === 'client:create') {
    const input = checked(
      clientCreateInput,
      {
        client_name: values.name,
        redirect_uris: values['redirect-uri'],
        post_logout_redirect_uris: values['post-logout-redirect-uri'],
        first_party: values['first-party'],
        token_endpoint_auth_method: values.public ? 'none' : 'client_secret_basic',
      },
      'client_invalid',
    );
    if (input.redirect_uris.length === 0) fail('--redirect-uri: at least one is required');
    const client = await createClientsRepo(db, box).upsert(
      {
        client_name: input.client_name,
        redirect_uris: input.redirect_uris,
        post_logout_redirect_uris: input.post_logout_redirect_uris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: input.token_endpoint_auth_method,
      },
      { firstParty: input.first_party },
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
