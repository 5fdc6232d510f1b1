// A Codeword server with a first admin, and admins signed in to the console over HTTP (cookie jar, CSRF token at hand).
import { expect } from 'chai';
import { submitLogin } from '../../helpers/rp.ts';
import { type StartOptions, startServer, type TestServer } from '../../helpers/server.ts';
import { inputValue, type Page, UserAgent } from '../../helpers/user-agent.ts';

export const ADMIN = { username: 'root-admin', password: 'a very long admin password' };

export interface ConsoleSession {
  ua: UserAgent;
  /** The CSRF token of this console sign-in (every console form carries it). */
  csrf: string;
  get(path: string): Promise<Page>;
  /** Posts a form with this session's CSRF token (unless `csrf` is given in the form). */
  post(path: string, form?: Record<string, string> | [string, string][]): Promise<Page>;
}

export async function startConsoleServer(opts: StartOptions = {}): Promise<TestServer> {
  return startServer({ ...opts, env: { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, ...opts.env } });
}

/** Signs in to the console through the hosted sign-in screen, as the first admin unless told otherwise. */
export async function signIn(server: Pick<TestServer, 'url'>, login = ADMIN.username, password = ADMIN.password): Promise<ConsoleSession> {
  const ua = new UserAgent();
  const start = await ua.follow(`${server.url}/admin`);
  const landed = await submitLogin(ua, start, login, password);
  expect(landed.status, landed.html.slice(0, 500)).to.equal(200);
  const csrf = inputValue(landed.html, 'csrf');
  if (!csrf) throw new Error('no CSRF token on the dashboard');
  return {
    ua,
    csrf,
    get: (path) => ua.request(`${server.url}${path}`),
    async post(path, form = {}) {
      const pairs: [string, string][] = Array.isArray(form) ? form : Object.entries(form);
      const body = new URLSearchParams(pairs.some(([k]) => k === 'csrf') ? pairs : [['csrf', csrf], ...pairs]).toString();
      return ua.request(`${server.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    },
  };
}

const decode = (s: string) =>
  s
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#34;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

/** Text of the page's inline error (role="alert"): the error's sentence, then every field problem. */
export const alertText = (html: string): string | undefined => {
  const m = html.match(/<(p|div) class="error" role="alert"[^>]*>([\s\S]*?)<\/\1>/);
  return m ? decode(m[2]!) : undefined;
};

/** Text of the message shown beside one field (by its path, e.g. `settings.accountSid`), if any. */
export const fieldErrorText = (html: string, path: string): string | undefined => {
  const id = `error-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const m = html.match(new RegExp(`<p class="error field-error" id="${id}">([\\s\\S]*?)</p>`));
  return m ? decode(m[1]!) : undefined;
};
