// Settings an operator writes in the environment reach the parts they change, through the container as `npm start`
// builds it (config only, no build options): the SMS home country, autofill and the sign-in throttle.
import { expect } from 'chai';
import { authorizationRequest, registerClient } from '../helpers/rp.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { formAction, inputValue, UserAgent } from '../helpers/user-agent.ts';

const AU_MOBILE = '+61491570156';

describe('environment settings reach the product', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ env: { SMS_HOME_COUNTRY: 'AU', SMS_AUTOFILL: 'false', LOGIN_FREE_ACCOUNT_FAILURES: '1', LOGIN_FIRST_DELAY_SECONDS: '60' } });
  });
  after(() => server.close());

  it('SMS_HOME_COUNTRY makes region-narrowed templates apply; SMS_AUTOFILL=false drops the autofill line', async () => {
    const { templates } = server.container.sms;
    await templates.save({ purpose: 'mfa', language: 'en', region: 'domestic', body: 'domestic {{ code }}' });
    await templates.save({ purpose: 'mfa', language: 'en', region: 'international', body: 'international {{ code }}' });
    expect((await templates.preview({ purpose: 'mfa', language: 'en', to: AU_MOBILE })).text).to.equal('domestic 123456');
    expect((await templates.preview({ purpose: 'mfa', language: 'en', to: '+33612345678' })).text).to.equal('international 123456');
  });

  it('LOGIN_FREE_ACCOUNT_FAILURES sets how many wrong passwords pass before delays start', async () => {
    const rp = await registerClient(server);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const ua = new UserAgent();
      const page = await ua.follow((await authorizationRequest(rp.config)).url.href);
      const action = new URL(formAction(page.html)!, page.url).href;
      statuses.push((await ua.request(action, { form: { csrf: inputValue(page.html, 'csrf')!, login: 'someone', password: `wrong ${i}` } })).status);
    }
    // One free failure; the second sets a 60 s delay (LOGIN_FIRST_DELAY_SECONDS); the third falls inside it.
    expect(statuses).to.deep.equal([401, 401, 429]);
  });
});
