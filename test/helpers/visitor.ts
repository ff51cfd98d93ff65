import type { TestApp } from './app.js';

/** A cookie jar over `inject`: what a browser keeps between requests. */
export class Visitor {
  readonly cookies = new Map<string, string>();
  last = '';
  constructor(private readonly t: TestApp) {}

  async get(url: string) {
    return this.send('GET', url);
  }

  /** Posts a form with the CSRF token of the last page (or the one given); a list repeats a field. */
  async post(url: string, form: Record<string, string | string[]>, csrf = this.csrf()) {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries({ ...form, ...(csrf ? { _csrf: csrf } : {}) }))
      for (const v of [value].flat()) body.append(name, v);
    return this.send('POST', url, body.toString());
  }

  csrf(): string | undefined {
    return /name="_csrf" value="([^"]+)"/.exec(this.last)?.[1];
  }

  private async send(method: 'GET' | 'POST', url: string, body?: string) {
    const res = await this.t.app.inject({
      method,
      url,
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      ...(body === undefined ? {} : { payload: body }),
    });
    const set = res.headers['set-cookie'];
    for (const c of Array.isArray(set) ? set : set ? [set] : []) {
      const [pair] = c.split(';');
      const [name, ...value] = pair!.split('=');
      if (/Expires=Thu, 01 Jan 1970/.test(c) || value.join('=') === '') this.cookies.delete(name!);
      else this.cookies.set(name!, value.join('='));
    }
    if (res.headers['content-type']?.toString().startsWith('text/html')) this.last = res.body;
    return res;
  }
}
