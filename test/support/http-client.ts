/**
 * A small client over Fastify's inject that behaves like a browser: keeps the session cookie and
 * sends the CSRF token with every change.
 */
import type { FastifyInstance, InjectOptions } from 'fastify';

export interface Response {
  status: number;
  body: any;
  headers: Record<string, unknown>;
}

export class Browser {
  cookie: string | undefined;
  csrf: string | undefined;
  constructor(
    private app: FastifyInstance,
    /** Simulated client address (for per-address rate limits). */
    private address = '127.0.0.1',
  ) {}

  async request(
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const res = await this.app.inject({
      method,
      url,
      remoteAddress: this.address,
      headers: {
        ...(this.cookie && { cookie: this.cookie }),
        ...(this.csrf && method !== 'GET' && { 'x-csrf-token': this.csrf }),
        ...headers,
      },
      ...(body !== undefined && { payload: body as InjectOptions['payload'] }),
    });
    const setCookie = res.cookies.find((c) => c.name === 'gongfu_session');
    if (setCookie) this.cookie = setCookie.value ? `gongfu_session=${setCookie.value}` : undefined;
    let parsed: unknown = res.body;
    try {
      parsed = res.body ? JSON.parse(res.body) : null;
    } catch {
      // not JSON (CSV, HTML)
    }
    return { status: res.statusCode, body: parsed, headers: res.headers };
  }

  /** Uploads one file as multipart/form-data (field "file"). */
  async upload(url: string, fileName: string, content: Buffer | string): Promise<Response> {
    const boundary = '----gongfu-test-boundary';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
    const payload = Buffer.concat([Buffer.from(head), Buffer.from(content), Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const res = await this.app.inject({
      method: 'POST',
      url,
      remoteAddress: this.address,
      payload,
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        ...(this.cookie && { cookie: this.cookie }),
        ...(this.csrf && { 'x-csrf-token': this.csrf }),
      },
    });
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : null, headers: res.headers };
  }

  get = (url: string) => this.request('GET', url);
  post = (url: string, body?: unknown) => this.request('POST', url, body ?? {});
  delete = (url: string) => this.request('DELETE', url);

  async login(username: string, password: string): Promise<Response> {
    const res = await this.post('/api/v1/auth/login', { username, password });
    if (res.status === 200) this.csrf = res.body.csrfToken;
    return res;
  }
}
