// In development, SMS sign-in works out of the box: development inbox, SMS connection on for the demo app, the demo
// user's phone, the SMS factor and SMS reset in the default policy — set up once, never over an operator's choice.
import { expect } from 'chai';
import { DEMO_CLIENT_ID } from '../../src/dev/demo.ts';
import { DEMO_PHONE } from '../../src/dev/sms.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { UserAgent } from '../helpers/user-agent.ts';

describe('development: SMS sign-in out of the box', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ env: { NODE_ENV: 'development', DEMO_CLIENT: 'true' } });
  });
  after(() => server.close());

  it('turns on the SMS connection for the demo app, the SMS factor and reset, and gives the demo user a phone', async () => {
    const c = server.container;
    const connection = await c.smsConnection.get();
    expect(connection.enabled).to.equal(true);
    expect(connection.clientIds).to.include(DEMO_CLIENT_ID);
    expect((await c.smsFactor.availability()).available).to.equal(true);
    const policy = await c.policies.getDefault();
    expect(policy.mfa.factors).to.include('sms');
    expect(policy.passwordUpdate.methods).to.include('sms');
    const demo = await c.users.findByLogin('demo');
    expect(demo).to.include({ phoneNumber: DEMO_PHONE, phoneNumberVerified: true });
  });

  it('the demo app’s sign-in screen offers SMS sign-in', async () => {
    const ua = new UserAgent();
    const page = await ua.follow(`${server.url}/demo/login`);
    expect(page.status).to.equal(200);
    expect(page.html).to.match(/href="\/interaction\/[^"]+\/sms[^"]*"|action="\/interaction\/[^"]+\/sms/);
  });
});
