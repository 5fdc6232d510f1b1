// A request the HTTP parser refuses is the client's fault: logged at warn, never at error, and never with its raw bytes
// (which carry cookies and credentials), on our routes and on the provider's alike.
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { pino } from 'pino';
import { startServer, type TestServer } from '../helpers/server.ts';

/** Sends raw bytes and waits for the connection to end. */
function send(url: string, payload: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    let got = '';
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(payload));
    socket.on('data', (d) => (got += d.toString()));
    socket.on('close', () => resolve(got));
    socket.on('error', () => resolve(got));
  });
}

describe('malformed HTTP requests', () => {
  const lines: Array<Record<string, unknown>> = [];
  let server: TestServer;
  before(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    server = await startServer({ logger: pino({ level: 'info' }, sink) });
  });
  after(() => server.close());

  for (const path of ['/admin/logout', '/token']) {
    it(`POST ${path} with broken chunking: 400, one warn line without the request's bytes`, async () => {
      lines.length = 0;
      const payload = [
        `POST ${path} HTTP/1.1`,
        'Host: 127.0.0.1',
        'Transfer-Encoding: chunked',
        'Content-Type: application/x-www-form-urlencoded',
        'Cookie: cw_session=very-secret-session-cookie',
        '',
        '5',
        'ab',
        'zz',
        '',
      ].join('\r\n');
      const answer = await send(server.url, payload);
      expect(answer).to.match(/^HTTP\/1\.1 400/);
      await new Promise((r) => setTimeout(r, 50)); // let the logger flush its line
      const dump = JSON.stringify(lines);
      expect(lines.filter((l) => Number(l.level) >= 50), dump).to.deep.equal([]);
      expect(lines.some((l) => l.level === 40 && l.msg === 'malformed HTTP request'), dump).to.equal(true);
      expect(dump).not.to.contain('rawPacket');
      expect(dump).not.to.contain('very-secret-session-cookie');
    });
  }
});
