// Steps shared by the browser scenarios: open the sign-in screen of a fresh authorization request; submit a form.
import { type Browser, expectStatus, formAction, HttpError, inputValue, locationOf, type Response } from '../lib/http.ts';
import { type AuthRequest, authorizationRequest, type Target } from '../lib/oidc.ts';

/** /auth → the interaction's first screen. */
export async function openSignIn(browser: Browser, t: Target, params: Record<string, string> = {}): Promise<{ req: AuthRequest; page: Response; uid: string }> {
  const req = authorizationRequest(t, params);
  const auth = await browser.request(req.url);
  const at = locationOf(auth, 'auth');
  const page = expectStatus(await browser.request(at), 200, 'interaction');
  const uid = /\/interaction\/([^/?#]+)/.exec(at)?.[1];
  if (!uid) throw new HttpError(`auth: no interaction in ${at}`, 'auth:location');
  return { req, page, uid };
}

/** Submits the first form of `page` (or the first whose action ends with `endsWith`) with its CSRF token and `fields`; no redirect followed. */
export function submit(browser: Browser, page: Response, fields: Record<string, string>, step: string, endsWith?: string): Promise<Response> {
  const action = formAction(page.body, endsWith);
  if (!action) throw new HttpError(`${step}: no form on ${page.url} (${page.status})`, `${step}:no-form`);
  const csrf = inputValue(page.body, 'csrf');
  return browser.request(new URL(action, page.url).href, { form: csrf === undefined ? fields : { csrf, ...fields } });
}

/** Submits a form that must answer 303, then GETs where it points (expecting 200). */
export async function submitAndShow(browser: Browser, page: Response, fields: Record<string, string>, step: string, expectPath?: RegExp, endsWith?: string): Promise<Response> {
  const answer = await submit(browser, page, fields, step, endsWith);
  const next = locationOf(answer, step);
  if (expectPath && !expectPath.test(next)) throw new HttpError(`${step}: went to ${next}`, `${step}:went-elsewhere`);
  return expectStatus(await browser.request(next), 200, `${step}-next`);
}
