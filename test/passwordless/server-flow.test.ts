// The passwordless service without a browser: its state in a server-side flow, its codes bound to that flow's id.
import { expect } from 'chai';
import { createSqlCounters } from '../../src/counters/index.ts';
import { createSendLimits } from '../../src/sms/limits/index.ts';
import { createPasswordlessService } from '../../src/flows/passwordless/service.ts';
import { PASSWORDLESS_STATE_KEY, passwordlessStateSchema } from '../../src/flows/passwordless/state.ts';
import { apiFlowPrefix, createServerFlows } from '../../src/flows/state/server.ts';
import { createSmsCodeMethod } from '../../src/methods/sms-code/index.ts';
import { createUser } from '../helpers/rp.ts';
import { type SmsTestEnv, startSmsEnv } from '../helpers/sms-setup.ts';

const KNOWN = '+61491570156';
const ctx = { ip: '192.0.2.10', hints: { requestLanguage: 'en' } };

describe('passwordless service with a server-side flow (no Interaction)', () => {
  let env: SmsTestEnv;
  let service: ReturnType<typeof createPasswordlessService>;
  let flows: ReturnType<typeof createServerFlows>;

  before(async () => {
    env = await startSmsEnv();
    await createUser(env.server, 'nina', 'nina has a long password', { phoneNumber: KNOWN });
    const { db, codes, sms, smsConnection, users } = env.server.container;
    const smsCode = createSmsCodeMethod({ codes, limits: createSendLimits({ counters: createSqlCounters(db, env.clock.now) }), sender: sms.sender });
    service = createPasswordlessService({ connection: smsConnection, accountReady: async () => true, smsCode, users, phoneField: async () => 'phone_number' });
    flows = createServerFlows({ db, now: env.clock.now });
  });
  after(() => env.close());
  beforeEach(() => env.clock.advance(61_000));

  const open = async (clientId: string) => flows.open(await flows.start(apiFlowPrefix(clientId)), PASSWORDLESS_STATE_KEY, passwordlessStateSchema);

  it('texts a code bound to the flow id, verifies it in that flow once, and clears the flow state', async () => {
    const flow = await open('native-app');
    const sent = await service.sendCode(flow, KNOWN, ctx);
    expect(sent.ok).to.equal(true);
    expect(await flow.read()).to.include({ phone: KNOWN, signup: false });
    await env.deliver();
    const code = env.fake.lastCode(KNOWN)!;
    const done = await service.verify(flow, code);
    expect(done.ok && done.user.phoneNumber).to.equal(KNOWN);
    expect(await flow.read(), 'the flow state is gone').to.equal(undefined);
    expect(await service.verify(flow, code)).to.deep.equal({ ok: false, reason: 'no_flow' });
  });

  it('a code issued under one flow id fails under another, of the same client or another, even with the same state', async () => {
    const flow = await open('native-app');
    await service.sendCode(flow, KNOWN, ctx);
    await env.deliver();
    const code = env.fake.lastCode(KNOWN)!;
    for (const other of [await open('native-app'), await open('other-app')]) {
      await other.write(await flow.read());
      expect(await service.verify(other, code), other.flowId).to.deep.equal({ ok: false, reason: 'wrong_code' });
    }
    expect((await service.verify(flow, code)).ok, 'still good in its own flow').to.equal(true);
  });

  it('resends within the flow, and an expired flow has nothing to verify', async () => {
    const flow = await open('native-app');
    await service.sendCode(flow, KNOWN, ctx);
    env.clock.advance(61_000);
    expect((await service.resend(flow, ctx)).ok).to.equal(true);
    env.clock.advance(600_000);
    expect(await service.verify(flow, '123456')).to.deep.equal({ ok: false, reason: 'no_flow' });
    expect(await service.resend(flow, ctx)).to.deep.equal({ ok: false, reason: 'no_flow' });
  });
});
