// A minimal browser stand-in for HTTP-level tests: a cookie jar, manual redirects, HTML form fields.
export interface Page {
  status: number;
  url: string;
  html: string;
  headers: Headers;
}

export class UserAgent {
  private readonly jar = new Map<string, string>();
  acceptLanguage: string | undefined;

  constructor(opts: { acceptLanguage?: string } = {}) {
    this.acceptLanguage = opts.acceptLanguage;
  }

  cookieNames(): string[] {
    return [...this.jar.keys()];
  }

  /** Forgets one cookie, as a browser whose copy was lost or cleared. */
  dropCookie(name: string): void {
    this.jar.delete(name);
  }

  private store(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (!value || /expires=Thu, 01 Jan 1970/i.test(line) || /max-age=0/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  /** One request, no redirect following. */
  async request(url: string, init: { method?: string; form?: Record<string, string>; body?: string; headers?: Record<string, string> } = {}): Promise<Page> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.jar.size) headers.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.acceptLanguage) headers['accept-language'] = this.acceptLanguage;
    let body = init.body;
    if (init.form) {
      body = new URLSearchParams(init.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(url, { method: init.method ?? (body !== undefined ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.store(res);
    return { status: res.status, url, html: await res.text(), headers: res.headers };
  }

  /** Follows redirects on our own origin; stops at the first redirect leaving `stopAtPrefix` or a non-redirect. */
  async follow(url: string, init: Parameters<UserAgent['request']>[1] = {}, stopAtPrefix?: string): Promise<Page> {
    let page = await this.request(url, init);
    for (let i = 0; i < 20 && page.status >= 300 && page.status < 400; i++) {
      const next = new URL(page.headers.get('location')!, page.url).href;
      if (stopAtPrefix && next.startsWith(stopAtPrefix)) return { ...page, url: next };
      page = await this.request(next);
    }
    return page;
  }
}

/** Reads the value of a named input from HTML. */
export function inputValue(html: string, name: string): string | undefined {
  const tag = html.match(new RegExp(`<input[^>]*name="${name}"[^>]*>`))?.[0];
  return tag?.match(/value="([^"]*)"/)?.[1];
}

export function formAction(html: string, index = 0): string | undefined {
  return [...html.matchAll(/<form[^>]*action="([^"]*)"/g)][index]?.[1];
}

export function textOf(html: string, selectorClass: string): string | undefined {
  return html.match(new RegExp(`class="${selectorClass}"[^>]*>([^<]*)<`))?.[1]?.trim();
}
