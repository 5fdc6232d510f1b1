// The code screen of a reset that holds a decoy is byte for byte the real one (digits masked), even after the real SMS failed.
import { expect } from 'chai';
import type { Page } from '../helpers/user-agent.ts';
import { next, requestCode, type ResetEnv, startResetEnv, submit } from './harness.ts';

/** A screen as an observer compares it: per-request values (uid, CSRF token) and every digit masked. */
function masked(page: Page, uid: string) {
  const csrf = page.html.match(/name="csrf" value="([^"]+)"/)?.[1];
  let body = page.html.replaceAll(uid, 'UID');
  if (csrf) body = body.replaceAll(csrf, 'CSRF');
  return { status: page.status, type: page.headers.get('content-type'), body: body.replace(/\d/g, '#') };
}

describe('password reset: a decoy code screen is the real one', () => {
  let env: ResetEnv;
  let phone: string;
  before(async () => {
    env = await startResetEnv();
    phone = (await env.user('real')).phone!;
  });
  after(() => env?.close());

  it('renders the same code screen, resend notice, wrong-code answer and status JSON for a real and a decoy code', async () => {
    // The real SMS fails at the provider: whatever the real screen says afterwards, the decoy must say too.
    env.fake.failFor(phone, 21612);
    const real = await requestCode(env, 'real');
    const decoy = await requestCode(env, 'nobody-by-this-name');
    await env.deliver();
    expect((await env.outbox()).filter((m) => m.purpose === 'reset_password')).to.have.length(1);

    // Each step is taken in both flows at the same moment of the clock.
    const both = async (step: (r: typeof real) => Promise<Page>) => [await step(real), await step(decoy)];
    const seen = [[real.code, decoy.code]];
    seen.push(await both((r) => r.ua.request(`${r.base}/code`)));
    seen.push(await both(async (r) => submit(r.ua, await r.ua.request(`${r.base}/code`), { code: '000000' })));
    seen.push(await both((r) => r.ua.request(`${r.base}/status`)));
    env.clock.advance(61_000);
    seen.push(await both(async (r) => next(r.ua, await submit(r.ua, await r.ua.request(`${r.base}/code`), {}, 1))));
    const realScreens = seen.map(([r]) => masked(r!, real.uid));
    const decoyScreens = seen.map(([, d]) => masked(d!, decoy.uid));
    expect(realScreens[0]!.body, 'the code screen').to.contain('id="code"').and.contain('id="cancel"');
    expect(realScreens[4]!.body, 'the resend notice').to.contain('role="status"');
    expect(decoyScreens).to.deep.equal(realScreens);
    // No delivery status at all: a reset can hold a decoy.
    expect(realScreens[1]!.body).not.to.contain('data-status-url');
    expect(JSON.parse(realScreens[3]!.body)).to.deep.equal({ undelivered: false });
  });
});
