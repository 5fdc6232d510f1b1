// The admin API's key rotation: keys listed with their stage (never their material), a staged rotation started by an
// admin, published at once and signing only after the delay; bad input is a 4xx, read-only tokens cannot rotate.
import { expect } from 'chai';
import { type ApiHarness, startApi } from '../admin/api/harness.ts';
import { createClock } from './harness.ts';

describe('admin API: key rotation', () => {
  const clock = createClock();
  let api: ApiHarness;
  before(async () => {
    api = await startApi({ now: clock.now });
  });
  after(() => api.close());

  const jwksKids = async () => ((await (await fetch(`${api.server.url}/jwks`)).json()) as { keys: { kid: string; key_ops?: string[] }[] }).keys;

  it('lists the keys and their stages without key material', async () => {
    const r = await api.call('GET', '/keys');
    expect(r.status).to.equal(200);
    expect(r.body.items.map((k: { kind: string; state: string }) => `${k.kind}:${k.state}`).sort()).to.deep.equal(['cookie:signing', 'signing:signing', 'signing:signing']);
    expect(r.text).not.to.match(/"d"|"key"/);
  });

  it('rotates signing keys in stages and records who did it', async () => {
    const r = await api.call('POST', '/keys/rotate', { body: { kind: 'signing', delaySeconds: 60 } });
    expect(r.status, r.text).to.be.oneOf([200, 201]);
    const pending = r.body.items.filter((k: { state: string }) => k.state === 'pending');
    expect(pending).to.have.length(2);
    await api.server.container.keys.reload();
    const published = await jwksKids();
    for (const p of pending) expect(published.find((k) => k.kid === p.id)?.key_ops).to.deep.equal(['verify']);
    clock.advance(60_001);
    await api.server.container.keys.reload();
    const after = await api.call('GET', '/keys');
    for (const p of pending) expect(after.body.items.find((k: { id: string }) => k.id === p.id).state).to.equal('signing');
    const audit = await api.call('GET', '/audit-events');
    expect(JSON.stringify(audit.body)).to.contain('keys.rotate');
  });

  it('refuses bad input with a 4xx naming the field', async () => {
    const r = await api.call('POST', '/keys/rotate', { body: { kind: 'everything', delaySeconds: -1 } });
    expect(r.status).to.be.within(400, 422);
    expect(r.text).to.contain('kind');
  });

  it('needs the write scope', async () => {
    const reader = await api.call('POST', '/clients', { body: { client_name: 'Reader', grant_types: ['client_credentials'], scope: 'admin:read' } });
    const token = await api.token('admin:read', { id: reader.body.client_id, secret: reader.body.client_secret });
    expect((await api.call('GET', '/keys', { token })).status).to.equal(200);
    expect((await api.call('POST', '/keys/rotate', { token, body: {} })).status).to.equal(403);
  });
});
