// Codes bound to flow ids of either kind (an Interaction uid, a server-side `api:<client_id>:<opaque id>`), and the server-side flow store.
import { expect } from 'chai';
import { z } from 'zod';
import { type CodeEngine, createCodeEngine } from '../../src/codes/engine.ts';
import { apiFlowPrefix, createServerFlows } from '../../src/flows/state/server.ts';
import { type Clock, type CodesFixture, codesFixture, createClock, uniquePhone } from './fixture.ts';

const stateSchema = z.object({ phone: z.string() });

describe('one-time codes: flow ids of any kind of flow', () => {
  let fx: CodesFixture;
  let clock: Clock;
  let engine: CodeEngine;
  const settings = { length: 6, lifetimeSeconds: 300, maxAttempts: 5 };

  before(async () => {
    fx = await codesFixture();
  });
  after(() => fx.close());
  beforeEach(() => {
    clock = createClock();
    engine = createCodeEngine({ db: fx.db, box: fx.box, now: clock.now, failures: { freeFailures: 1_000_000, maxDelaySeconds: 1, windowSeconds: 1 } });
  });

  it('a code issued under one server-side flow id fails under another flow of the same or another client, and under an interaction uid', async () => {
    const flows = createServerFlows({ db: fx.db, now: clock.now });
    const a = await flows.start(apiFlowPrefix('app-a'));
    expect(a).to.match(/^api:app-a:[A-Za-z0-9_-]{24}$/);
    const opaque = a.slice('api:app-a:'.length);
    const phone = uniquePhone();
    const { code } = await engine.issue({ purpose: 'login', flowId: a, phone, ...settings });
    for (const other of [await flows.start(apiFlowPrefix('app-a')), `api:app-b:${opaque}`, opaque, 'Zf2kq3interactionuid']) {
      expect(await engine.verify({ purpose: 'login', flowId: other, phone, code }), other).to.deep.equal({ ok: false, reason: 'invalid' });
    }
    expect(await engine.verify({ purpose: 'login', flowId: a, phone, code })).to.deep.equal({ ok: true });
  });

  it('keeps typed state under an opaque id that any instance can serve, until the injected clock passes its lifetime', async () => {
    const one = createServerFlows({ db: fx.db, now: clock.now, lifetimeSeconds: 600 });
    const two = createServerFlows({ db: fx.second(), now: clock.now, lifetimeSeconds: 600 });
    const id = await one.start(apiFlowPrefix('native'));
    const written = one.open(id, 'passwordless', stateSchema);
    expect(written.flowId).to.equal(id);
    await written.write({ phone: '+61491570156' });
    await one.open(id, 'other', stateSchema).write({ phone: '+61491570157' });
    const read = two.open(id, 'passwordless', stateSchema);
    expect(await read.read(), 'another instance reads it').to.deep.equal({ phone: '+61491570156' });
    expect(await two.open(id, 'other', stateSchema).read(), 'keys are kept apart').to.deep.equal({ phone: '+61491570157' });
    expect(await two.open(id, 'passwordless', z.object({ phone: z.number() })).read(), 'a state of another shape is no state').to.equal(undefined);
    expect(await two.open('api:native:guessed', 'passwordless', stateSchema).read()).to.equal(undefined);

    clock.advance(599_000);
    expect(await two.exists(id)).to.equal(true);
    clock.advance(1_000);
    expect(await two.exists(id)).to.equal(false);
    expect(await read.read(), 'expired').to.equal(undefined);
    const err = await read.write({ phone: '+61491570156' }).catch((e: unknown) => e);
    expect(err, 'an expired flow cannot be written to').to.include({ code: 'session_not_found', status: 400 });
    expect(await one.purgeExpired()).to.be.greaterThanOrEqual(1);
    expect(await fx.db('flow_states').where({ id }).first()).to.equal(undefined);
  });

  it('forgets a state key, and ends a flow at once', async () => {
    const flows = createServerFlows({ db: fx.db, now: clock.now });
    const id = await flows.start(apiFlowPrefix('native'));
    const state = flows.open(id, 'passwordless', stateSchema);
    await state.write({ phone: '+61491570156' });
    await state.write(undefined);
    expect(await state.read()).to.equal(undefined);
    expect(await flows.exists(id)).to.equal(true);
    await flows.end(id);
    expect(await flows.exists(id)).to.equal(false);
  });
});
