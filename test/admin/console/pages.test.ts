// Every console page renders for an admin without inline script or style, each visible field with a label.
import { expect } from 'chai';
import { policyInputSchema } from '../../../src/policies/schema.ts';
import type { TestServer } from '../../helpers/server.ts';
import { type ConsoleSession, signIn, startConsoleServer } from './harness.ts';

/** Fields a person fills in: not hidden inputs. */
const visibleFields = (html: string) =>
  [...html.matchAll(/<(input|select|textarea)\b([^>]*)>/g)].map((m) => m[2]!).filter((attrs) => !/type="hidden"/.test(attrs));

/** A field is labelled by <label for=its id>, or by a label wrapping it. */
function unlabelled(html: string): string[] {
  const labelledIds = new Set([...html.matchAll(/<label[^>]*for="([^"]+)"/g)].map((m) => m[1]));
  const wrapped = new Set([...html.matchAll(/<label[^>]*>\s*<input\b([^>]*)>/g)].map((m) => m[1]));
  return visibleFields(html).filter((attrs) => {
    const id = attrs.match(/\bid="([^"]+)"/)?.[1];
    return !(id && labelledIds.has(id)) && !wrapped.has(attrs);
  });
}

describe('admin console pages', () => {
  let server: TestServer;
  let admin: ConsoleSession;
  let ids: { user: string; policy: string; account: string };

  before(async () => {
    server = await startConsoleServer();
    admin = await signIn(server);
    const c = server.container;
    const account = await c.sms.accounts.create({ name: 'Inbox', provider: 'dev', settings: {} });
    const policy = await c.policies.create(policyInputSchema.parse({ name: 'Staff' }));
    const user = await c.users.findByLogin('root-admin');
    await c.admin.templates.save({ kind: 'user', id: user!.id }, { purpose: 'login', language: 'es', body: 'Tu código: {{ code }}' });
    ids = { user: user!.id, policy: policy.id, account: account.id };
  });
  after(() => server.close());

  const paths = () => [
    '/admin',
    '/admin/apps',
    '/admin/apps/new',
    '/admin/apps/codeword-admin-console',
    '/admin/users',
    '/admin/users/new',
    `/admin/users/${ids.user}`,
    '/admin/sms-accounts',
    '/admin/sms-accounts/new?provider=twilio',
    '/admin/sms-accounts/new?provider=http',
    '/admin/sms-accounts/new?provider=dev',
    `/admin/sms-accounts/${ids.account}`,
    '/admin/templates',
    '/admin/templates/edit?purpose=login&language=es',
    '/admin/templates/edit?purpose=mfa&language=fr',
    '/admin/connection',
    '/admin/factor',
    '/admin/policies',
    `/admin/policies/${ids.policy}`,
    '/admin/messages',
    '/admin/audit',
  ];

  it('renders every section for an admin, with the CSP kept (no inline script, style or handlers)', async () => {
    for (const path of paths()) {
      const page = await admin.get(path);
      expect(page.status, path).to.equal(200);
      expect(page.headers.get('content-security-policy'), path).to.contain("script-src 'self'");
      expect(page.html, path).not.to.match(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(page.html, path).not.to.match(/\sstyle="/);
      expect(page.html, path).not.to.match(/\son[a-z]+="/);
      expect(page.html, path).to.contain('<script src="/assets/admin.js" defer></script>');
    }
  });

  it('labels every field a person fills in', async () => {
    for (const path of paths()) {
      const page = await admin.get(path);
      expect(unlabelled(page.html), path).to.deep.equal([]);
    }
  });

  it('serves the console scripts', async () => {
    for (const name of ['admin.js', 'admin-template.js', 'admin-policy.js']) {
      const res = await fetch(`${server.url}/assets/${name}`);
      expect(res.status, name).to.equal(200);
      expect(res.headers.get('content-type'), name).to.contain('javascript');
    }
  });
});
