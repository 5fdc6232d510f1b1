// /templates: overrides per purpose and language (create, replace, edit, delete), built-in texts, and the preview.
import { expect } from 'chai';
import { type ApiHarness, startApi } from './harness.ts';

describe('admin API: templates', () => {
  let api: ApiHarness;
  let spanishId: string;
  before(async () => {
    api = await startApi();
  });
  after(() => api.close());

  it('creates an override (201) and replaces its body when the same scope is saved again (200)', async () => {
    const created = await api.call('POST', '/templates', { body: { purpose: 'login', language: 'ES', body: 'Tu código es {{ code }}' } });
    expect(created.status).to.equal(201);
    expect(created.body).to.include({ purpose: 'login', language: 'es', accountId: null, region: null });
    spanishId = created.body.id;
    const replaced = await api.call('POST', '/templates', { body: { purpose: 'login', language: 'es', body: 'Código: {{ code }}' } });
    expect(replaced.status).to.equal(200);
    expect(replaced.body).to.include({ id: spanishId, body: 'Código: {{ code }}' });
    const events = await api.call('GET', `/audit-events?target=${spanishId}`);
    expect(events.body.items.map((e: { action: string }) => e.action)).to.deep.equal(['template.update', 'template.create']);
  });

  it('reads, lists (filtered) and edits the body of an override', async () => {
    await api.call('POST', '/templates', { body: { purpose: 'mfa', language: 'en', body: 'Security code {{ code }}' } });
    expect((await api.call('GET', `/templates/${spanishId}`)).body.language).to.equal('es');
    const logins = await api.call('GET', '/templates?purpose=login');
    expect(logins.body.items.map((t: { id: string }) => t.id)).to.deep.equal([spanishId]);
    const edited = await api.call('PATCH', `/templates/${spanishId}`, { body: { body: 'Tu código: {{ code }}. No lo compartas.' } });
    expect(edited.status).to.equal(200);
    expect(edited.body.body).to.equal('Tu código: {{ code }}. No lo compartas.');
  });

  it('lists the built-in texts', async () => {
    const r = await api.call('GET', '/templates/builtins');
    expect(r.body.items).to.deep.include({ purpose: 'test', language: 'en', body: 'Test message from {{ application.name }}: your SMS settings work.' });
  });

  it('previews a body: text, encoding and segments', async () => {
    const gsm = await api.call('POST', '/templates/preview', { body: { purpose: 'password_changed', body: 'Hi {{ user.name }}, your password changed.' } });
    expect(gsm.status).to.equal(200);
    expect(gsm.body).to.include({ text: 'Hi Alex Example, your password changed.', encoding: 'GSM-7', segments: 1, templateId: null });
    const long = await api.call('POST', '/templates/preview', { body: { purpose: 'password_changed', body: `¿Sí? ${'ñandú '.repeat(20)}` } });
    expect(long.body.encoding).to.equal('UCS-2');
    expect(long.body.segments).to.equal(2);
    const stored = await api.call('POST', '/templates/preview', { body: { purpose: 'login', language: 'es', values: { code: '424242' } } });
    expect(stored.body.templateId).to.equal(spanishId);
    expect(stored.body.text).to.match(/^Tu código: 424242\./);
  });

  it('refuses templates that break the SMS rules, and stores nothing', async () => {
    const cases: [unknown, number, RegExp][] = [
      [{ purpose: 'login', language: 'de', body: 'Hallo ohne Code' }, 400, /^body: must contain the code/],
      [{ purpose: 'login', language: 'de', body: '<b>{{ code }}</b>' }, 400, /plain text/],
      [{ purpose: 'login', language: 'de', body: '{{ code }} {{ nope }}' }, 400, /nope|undefined/i],
      [{ purpose: 'sonnet', language: 'de', body: '{{ code }}' }, 400, /^purpose: must be one of/],
      [{ purpose: 'login', language: 'not a tag!', body: '{{ code }}' }, 400, /^language: /],
    ];
    for (const [body, status, message] of cases) {
      const r = await api.call('POST', '/templates', { body });
      expect(r.status, JSON.stringify(body)).to.equal(status);
      expect(r.body.message).to.match(message);
    }
    expect((await api.call('GET', '/templates?language=de')).body.items).to.have.length(0);
    const preview = await api.call('POST', '/templates/preview', { body: { purpose: 'login', body: 'no code here' } });
    expect(preview.status).to.equal(400);
  });

  it('deletes an override (the built-in text applies again)', async () => {
    expect((await api.call('DELETE', `/templates/${spanishId}`)).status).to.equal(204);
    expect((await api.call('GET', `/templates/${spanishId}`)).status).to.equal(404);
    const preview = await api.call('POST', '/templates/preview', { body: { purpose: 'login', language: 'es' } });
    expect(preview.body.templateId).to.equal(null);
    expect((await api.call('DELETE', `/templates/${spanishId}`)).status).to.equal(404);
  });
});
