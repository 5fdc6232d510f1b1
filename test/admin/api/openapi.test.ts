// The OpenAPI document is generated from the route table and covers exactly the operations the router serves.
import type Router from '@koa/router';
import { expect } from 'chai';
import { FALLBACK_PATH } from '../../../src/admin/api/router.ts';
import { type ApiHarness, type Json, startApi } from './harness.ts';

type Doc = { openapi: string; servers: { url: string }[]; paths: Record<string, Record<string, Json>>; components: Record<string, Json> };

describe('admin API: OpenAPI document', () => {
  let api: ApiHarness;
  let doc: Doc;
  let router: Router;
  before(async () => {
    api = await startApi();
    doc = (await (await fetch(`${api.server.url}/admin/api/openapi.json`)).json()) as Doc;
    const mounted = api.server.container.app.middleware.map((m) => (m as { router?: Router }).router).find((r) => r?.opts.prefix === '/admin/api');
    if (!mounted) throw new Error('the admin API router is not mounted');
    router = mounted;
  });
  after(() => api.close());

  /** `METHOD /path` of every operation the router registered under /v1, in OpenAPI path form. */
  function registered(): Set<string> {
    const ops = new Set<string>();
    for (const layer of router.stack) {
      const full = String(layer.path);
      if (!full.startsWith('/admin/api/v1/')) continue;
      const path = full.slice('/admin/api/v1'.length).replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      for (const method of layer.methods) if (method !== 'HEAD') ops.add(`${method.toLowerCase()} ${path}`);
    }
    return ops;
  }

  it('is OpenAPI 3.1 with the v1 server and the client-credentials security scheme', () => {
    expect(doc.openapi).to.equal('3.1.0');
    expect(doc.servers[0]!.url).to.equal(`${api.server.url}/admin/api/v1`);
    expect(doc.components.securitySchemes.adminToken.flows.clientCredentials.tokenUrl).to.equal(`${api.server.url}/token`);
  });

  it('documents every registered route, and nothing else', () => {
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)));
    const served = registered();
    expect(served.size).to.be.greaterThan(30);
    expect([...served].filter((op) => !documented.has(op)), 'served but undocumented').to.deep.equal([]);
    expect([...documented].filter((op) => !served.has(op)), 'documented but not served').to.deep.equal([]);
    // Apart from /v1, only the document itself and the JSON 404/405 fallback are mounted.
    const others = router.stack.map((l) => String(l.path)).filter((p) => !p.startsWith('/admin/api/v1/'));
    expect(others.sort()).to.deep.equal(['/admin/api/openapi.json', `/admin/api${FALLBACK_PATH}`]);
  });

  it('covers the resources the admin API must offer', () => {
    for (const op of [
      'get /clients', 'post /users', 'patch /users/{id}', 'post /sms-accounts/{id}/verify', 'post /sms-accounts/{id}/test',
      'post /templates/preview', 'patch /connections/sms', 'patch /factors/sms', 'delete /policies/{id}', 'get /messages', 'get /audit-events',
    ]) {
      const [method, path] = op.split(' ') as [string, string];
      expect(doc.paths[path]?.[method], op).to.be.an('object');
    }
  });

  it('describes each operation: security by scope, parameters, bodies, success and error responses', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method} ${path}`;
        expect(op.operationId, where).to.be.a('string');
        const scopes = op.security.flatMap((s: { adminToken: string[] }) => s.adminToken);
        expect(scopes, where).to.include('admin');
        for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
          expect(op.parameters.find((p: { name: string; in: string }) => p.name === name && p.in === 'path'), `${where} ${name}`).to.be.an('object');
        }
        expect(op.responses['401'], where).to.be.an('object');
        const success = Object.keys(op.responses).filter((s) => s.startsWith('2'));
        expect(success.length, where).to.be.greaterThan(0);
        if (['post', 'patch'].includes(method) && op.requestBody) expect(op.requestBody.content['application/json'].schema, where).to.be.an('object');
      }
    }
    const list = doc.paths['/messages']!.get;
    expect(list.parameters.map((p: { name: string }) => p.name)).to.include.members(['limit', 'cursor', 'status', 'purpose', 'since', 'until']);
    expect(doc.paths['/users']!.post.requestBody.content['application/json'].schema.properties).to.have.property('password');
    expect(doc.paths['/users/{id}']!.get.responses['200'].content['application/json'].schema.properties).not.to.have.property('password');
    expect(doc.paths['/sms-accounts']!.post.requestBody.content['application/json'].schema.oneOf).to.have.length(4);
    expect(Object.keys(doc.paths['/templates']!.post.responses)).to.include.members(['200', '201']);
    expect(doc.paths['/templates/preview']!.post.responses['200'].content['application/json'].schema.required).to.include.members(['text', 'encoding', 'segments']);
  });

  it('matches what the routes validate: a documented required field is required by the route', async () => {
    const required = doc.paths['/sms-accounts/{id}/test']!.post.requestBody.content['application/json'].schema.required;
    expect(required).to.deep.equal(['to']);
    const r = await api.call('POST', '/sms-accounts/any/test', { body: {} });
    expect(r.status).to.equal(400);
    expect(r.body.details.issues[0].path).to.equal('to');
  });
});
