// In development, SMS sign-in works out of the box: development inbox, SMS connection on for the demo app, the demo
// user's phone, the SMS factor and SMS reset in the default policy — set up once, never over an operator's choice.
import { expect } from 'chai';
import { DEMO_CLIENT_ID } from '../../src/dev/demo.ts';
import { DEMO_PHONE } from '../../src/dev/sms.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { formAction, inputValue, UserAgent } from '../helpers/user-agent.ts';

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

  it('the demo app signs the demo user in by SMS, with the code from the development inbox', async () => {
    const ua = new UserAgent();
    const login = await ua.follow(`${server.url}/demo/login`);
    const link = /href="(\/interaction\/[^"]+\/sms[^"]*)"/.exec(login.html)?.[1];
    expect(link, 'the sign-in screen offers SMS sign-in').to.be.a('string');
    const phonePage = await ua.follow(new URL(link!, login.url).href);
    const codePage = await ua.follow(new URL(formAction(phonePage.html)!, phonePage.url).href, { form: { csrf: inputValue(phonePage.html, 'csrf')!, phone: DEMO_PHONE } });
    expect(codePage.url).to.match(/\/code/);
    await server.container.sms.worker.runOnce();
    const [message] = await server.container.sms.devInbox!.list({ to: DEMO_PHONE });
    const code = /\b(\d{6})\b/.exec(String(message?.text))?.[1];
    expect(code, 'the code is in the development inbox').to.be.a('string');
    const done = await ua.follow(new URL(formAction(codePage.html)!, codePage.url).href, { form: { csrf: inputValue(codePage.html, 'csrf')!, code: code! } });
    expect(done.url).to.match(/\/demo$/);
    expect(done.html).to.contain('demo');
  });
});
