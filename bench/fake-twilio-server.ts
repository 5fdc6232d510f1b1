// The tests' fake Twilio as its own process for the benchmark, plus a small side server from which the load generator
// takes the code texted to a number (long poll), as a user reads it on the phone. With BENCH_TLS_CERT/BENCH_TLS_KEY it
// is reached over HTTPS (a TLS front passing requests on), since Codeword in production only talks https to Twilio.
// Prints one JSON line when ready.
import { readFileSync } from 'node:fs';
import http, { createServer } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { type FakeMessage, startFakeTwilio } from '../test/fakes/fake-twilio.ts';

const KEEP = 2000;
const WAIT_MS = 15_000;

const fake = await startFakeTwilio();

// Codes waiting to be read, per number, and readers waiting for one.
const codes = new Map<string, string[]>();
const waiting = new Map<string, Array<(code: string | undefined) => void>>();
let received = 0;

function deliver(m: FakeMessage) {
  received += 1;
  const code = /^\D{0,40}?(\d{4,10})\b/.exec(m.body)?.[1];
  if (!code) return; // a notice (password changed), not a code
  const readers = waiting.get(m.to);
  const reader = readers?.shift();
  if (readers && readers.length === 0) waiting.delete(m.to);
  if (reader) return reader(code);
  const queue = codes.get(m.to) ?? [];
  queue.push(code);
  codes.set(m.to, queue);
}

// Every accepted message goes through push: watch it, and keep the fake's own list short over long runs.
const messages = fake.messages;
messages.push = (...items: FakeMessage[]) => {
  const n = Array.prototype.push.apply(messages, items);
  for (const m of items) deliver(m);
  if (messages.length > KEEP * 2) messages.splice(0, messages.length - KEEP);
  return n;
};

function take(to: string): Promise<string | undefined> {
  const queue = codes.get(to);
  const ready = queue?.shift();
  if (queue && queue.length === 0) codes.delete(to);
  if (ready) return Promise.resolve(ready);
  return new Promise((resolve) => {
    const readers = waiting.get(to) ?? [];
    const timer = setTimeout(() => {
      const list = waiting.get(to);
      const i = list?.indexOf(done) ?? -1;
      if (list && i >= 0) list.splice(i, 1);
      if (list && list.length === 0) waiting.delete(to);
      resolve(undefined);
    }, WAIT_MS);
    const done = (code: string | undefined) => {
      clearTimeout(timer);
      resolve(code);
    };
    readers.push(done);
    waiting.set(to, readers);
  });
}

const side = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://side');
  const to = url.searchParams.get('to') ?? '';
  if (url.pathname === '/take') {
    take(to).then((code) => {
      res.writeHead(code ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: code ?? null }));
    });
    return;
  }
  if (url.pathname === '/drain') {
    codes.delete(to);
    res.writeHead(204).end();
    return;
  }
  if (url.pathname === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ received, posts: fake.messagePosts, pending: codes.size }));
    return;
  }
  res.writeHead(404).end();
});
side.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => side.listen(0, '127.0.0.1', resolve));

// The TLS front: what a production Codeword (https only) is given as the API base URL.
let front: https.Server | undefined;
if (process.env.BENCH_TLS_CERT && process.env.BENCH_TLS_KEY) {
  const upstream = new URL(fake.url);
  const pool = new http.Agent({ keepAlive: true, maxSockets: 64 });
  front = https.createServer({ cert: readFileSync(process.env.BENCH_TLS_CERT), key: readFileSync(process.env.BENCH_TLS_KEY) }, (req, res) => {
    const up = http.request({ agent: pool, hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  front.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => front!.listen(0, '127.0.0.1', resolve));
}

const info = {
  url: front ? `https://127.0.0.1:${(front.address() as AddressInfo).port}` : fake.url,
  accountSid: fake.accountSid,
  authToken: fake.authToken,
  fromNumber: fake.fromNumber,
  codesUrl: `http://127.0.0.1:${(side.address() as AddressInfo).port}`,
};
process.stdout.write(`${JSON.stringify({ ready: info })}\n`);

const stop = () => {
  front?.closeAllConnections();
  front?.close();
  side.closeAllConnections();
  side.close();
  fake.close().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
