// /branding and /branding/apps/{clientId} in the admin API: set, read, clear, audited; every bad value a clear 400, an unknown app a 404.
import { expect } from 'chai';
import { type ApiHarness, startApi } from '../admin/api/harness.ts';
import { dataUrlOf, ICO, PNG, png } from './fixtures.ts';

describe('admin API: branding', () => {
  let api: ApiHarness;
  before(async () => {
    api = await startApi({ smsWorker: false });
    await api.call('POST', '/clients', { body: { client_id: 'shop', client_name: 'Shop', redirect_uris: ['https://shop.example/cb'] } });
  });
  after(() => api.close());

  it('starts empty, then stores what is given and keeps the rest; images are served from this server', async () => {
    const empty = await api.call('GET', '/branding');
    expect(empty.status).to.equal(200);
    expect(empty.body).to.deep.equal({ clientId: null, name: null, primaryColor: null, supportContact: null, logo: null, favicon: null, css: null, updatedAt: null });

    const set = await api.call('PATCH', '/branding', { body: { name: 'Acme', primaryColor: '#0A7D5A', supportContact: 'help@acme.example', favicon: ICO } });
    expect(set.status).to.equal(200);
    expect(set.body).to.include({ name: 'Acme', primaryColor: '#0a7d5a', supportContact: 'help@acme.example' });
    expect(set.body.favicon).to.include({ type: 'image/x-icon', bytes: 22 });
    const icon = await fetch(`${api.server.url}${set.body.favicon.url}`);
    expect(icon.status).to.equal(200);
    expect(icon.headers.get('content-type')).to.equal('image/x-icon');

    const app = await api.call('PATCH', '/branding/apps/shop', { body: { name: 'Shop Deluxe', logo: PNG, css: '.card{border-radius:0}' } });
    expect(app.status).to.equal(200);
    expect(app.body).to.include({ clientId: 'shop', name: 'Shop Deluxe', primaryColor: null, css: '.card{border-radius:0}' });
    expect(app.body.logo.url).to.match(/^\/branding\/apps\/shop\/logo-[0-9a-f]{16}$/);
    const again = await api.call('PATCH', '/branding/apps/shop', { body: { primaryColor: '#b91c1c' } });
    expect(again.body, 'fields left out keep their value').to.include({ name: 'Shop Deluxe', primaryColor: '#b91c1c' });
    expect(again.body.logo.sha256).to.equal(app.body.logo.sha256);
    expect((await api.call('GET', '/branding/apps')).body.items.map((b: { clientId: string }) => b.clientId)).to.deep.equal(['shop']);
  });

  it('audits each change with before and after (images and the stylesheet by size and hash)', async () => {
    const events = await api.call('GET', '/audit-events?action=branding.update&target=shop');
    expect(events.status).to.equal(200);
    const latest = events.body.items[0];
    expect(latest.actor).to.match(/^client:/);
    expect(latest.details.before).to.include({ name: 'Shop Deluxe', primaryColor: null });
    expect(latest.details.after).to.include({ primaryColor: '#b91c1c' });
    expect(latest.details.after.logo).to.match(/^image\/png, \d+ bytes, sha256 [0-9a-f]{16}$/);
    expect(JSON.stringify(events.body)).not.to.contain('base64');
  });

  it('refuses bad values with a 400 naming the field, and changes nothing', async () => {
    const svgAsPng = dataUrlOf('image/png', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'));
    const cases: [unknown, RegExp][] = [
      [{ primaryColor: 'red' }, /^primaryColor: must be a colour as #rrggbb/],
      [{ primaryColor: '#12345' }, /^primaryColor: must be a colour as #rrggbb/],
      [{ name: '' }, /^name: must not be empty/],
      [{ name: 'x'.repeat(101) }, /^name: must be at most 100 characters/],
      [{ supportContact: 'y'.repeat(201) }, /^supportContact: must be at most 200 characters/],
      [{ logo: 'https://cdn.example/logo.png' }, /^logo: must be an image as a data URL/],
      [{ logo: 'data:text/html;base64,PGgxPg==' }, /^logo: must be one of image\/png, /],
      [{ logo: svgAsPng }, /^logo: is not an image of type image\/png/],
      [{ logo: dataUrlOf('image/png', png(200, 200).subarray(0, 8)) }, /^logo: is not an image of type image\/png/],
      [{ favicon: dataUrlOf('image/png', Buffer.concat([png(1, 1), Buffer.alloc(40 * 1024)])) }, /^favicon: is (larger than 32 KB|41 KB; at most 32 KB are allowed)/],
      [{ css: 'a{}'.repeat(11_000) }, /^css: must be at most 32 KB/],
      [{ colour: '#000000' }, /^colour: is not a known field/],
    ];
    for (const [body, message] of cases) {
      const r = await api.call('PATCH', '/branding/apps/shop', { body });
      expect(r.status, JSON.stringify(body).slice(0, 80)).to.equal(400);
      expect(r.body.error).to.equal('invalid_request');
      expect(r.body.message, JSON.stringify(body).slice(0, 80)).to.match(message);
    }
    const big = await api.call('PATCH', '/branding', { body: { logo: dataUrlOf('image/png', Buffer.concat([png(1, 1), Buffer.alloc(120 * 1024)])) } });
    expect(big.status).to.equal(400);
    expect(big.body.message).to.match(/^logo: is larger than 100 KB|^logo: is \d+ KB; at most 100 KB/);
    expect((await api.call('GET', '/branding/apps/shop')).body).to.include({ name: 'Shop Deluxe', primaryColor: '#b91c1c' });
  });

  it('answers 404 for an app that does not exist, and needs the write scope to change', async () => {
    const r = await api.call('PATCH', '/branding/apps/ghost', { body: { name: 'Ghost' } });
    expect(r.status).to.equal(404);
    expect(r.body.error).to.equal('client_not_found');
    expect((await api.call('GET', '/branding/apps/ghost')).status).to.equal(404);
    const read = await api.token('admin:read');
    expect((await api.call('GET', '/branding', { token: read })).status).to.equal(200);
    expect((await api.call('PATCH', '/branding', { token: read, body: { name: 'X' } })).status).to.equal(403);
  });

  it("clears a field with null; an app's branding can be removed (it shows the installation's again)", async () => {
    const cleared = await api.call('PATCH', '/branding/apps/shop', { body: { css: null } });
    expect(cleared.body.css).to.equal(null);
    expect((await api.call('DELETE', '/branding/apps/shop')).status).to.equal(204);
    expect((await api.call('GET', '/branding/apps/shop')).body).to.include({ name: null, updatedAt: null });
    expect((await api.call('GET', '/branding/apps')).body.items).to.deep.equal([]);
    const events = await api.call('GET', '/audit-events?action=branding.');
    expect(events.body.items[0]).to.include({ action: 'branding.delete', target: 'shop', targetLabel: 'Shop' });
  });

  it("drops a deleted app's branding with it", async () => {
    await api.call('POST', '/clients', { body: { client_id: 'gone', client_name: 'Gone', redirect_uris: ['https://gone.example/cb'] } });
    await api.call('PATCH', '/branding/apps/gone', { body: { name: 'Gone Deluxe' } });
    expect((await api.call('DELETE', '/clients/gone')).status).to.equal(204);
    await api.call('POST', '/clients', { body: { client_id: 'gone', client_name: 'Gone again', redirect_uris: ['https://gone.example/cb'] } });
    expect((await api.call('GET', '/branding/apps/gone')).body).to.include({ name: null });
  });
});
