// A code started through the passwordless API is bound to its client: the hosted SMS screens never accept it.
import { expect } from 'chai';
import { authorizationRequest, createUser, REDIRECT_URI } from '../helpers/rp.ts';
import { formAction, inputValue, UserAgent } from '../helpers/user-agent.ts';
import { KNOWN, type NativeEnv, startNativeEnv } from './harness.ts';

describe('passwordless API: codes and the hosted screens', () => {
  let env: NativeEnv;

  before(async () => {
    env = await startNativeEnv({ connection: { perPhonePerHour: 100 } });
    await createUser(env.server, 'nina', 'nina has a long password', { phoneNumber: KNOWN });
    await env.addClient('app-a');
  });
  after(() => env.close());

  it('an API code typed on the hosted code screen fails there, and still works at the API', async () => {
    const apiCode = (await env.startAndDeliver('app-a', KNOWN))!;
    const ua = new UserAgent({ acceptLanguage: 'en' });
    const login = await ua.follow((await authorizationRequest(env.rp.config)).url.href);
    const link = login.html.match(/action="([^"]*\/sms)"/)?.[1];
    const phonePage = await ua.follow(new URL(link!, login.url).href);
    const sent = await ua.request(new URL(formAction(phonePage.html)!, phonePage.url).href, { form: { csrf: inputValue(phonePage.html, 'csrf')!, phone: KNOWN } });
    expect(sent.status).to.equal(303);
    const codePage = await ua.follow(new URL(sent.headers.get('location')!, sent.url).href);
    await env.deliver();
    expect(env.fake.lastCode(KNOWN), 'the screens texted their own code').to.not.equal(apiCode);
    const tried = await ua.follow(new URL(formAction(codePage.html)!, codePage.url).href, { form: { csrf: inputValue(codePage.html, 'csrf')!, code: apiCode } }, REDIRECT_URI);
    expect(tried.url.startsWith(REDIRECT_URI)).to.equal(false);
    expect(tried.status).to.equal(401);
    const res = await env.token({ client_id: 'app-a', username: KNOWN, otp: apiCode, realm: 'sms' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
  });
});
