// tests/integration/client.mjs: a client that knows only the contract
// (routes, field names, the definition file): a cookie jar, form helpers,
// complete answers built from the questionnaire definition. Node 20.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BASE, REPO } from './lib.mjs';

export const DEF = JSON.parse(readFileSync(path.join(REPO, 'schema/questionnaires/imanor-2017.json'), 'utf8'));
export const SLUG = DEF.event.slug;

// Every item of an instrument, in form order.
export function items(kind) {
  return DEF.instruments[kind].sections.flatMap((s) => s.items);
}

// One request through node:http (so that the client address can be chosen
// with localAddress). body: a string or [[name, value], ...] (urlencoded).
export function request(method, urlPath, { headers = {}, body, localAddress } = {}) {
  const url = new URL(BASE + urlPath);
  let payload = body;
  if (Array.isArray(body)) payload = new URLSearchParams(body).toString();
  if (payload !== undefined && !headers['Content-Type'])
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: url.hostname, port: url.port, path: url.pathname + url.search, method,
      headers: payload !== undefined ? { ...headers, 'Content-Length': Buffer.byteLength(payload) } : headers,
      localAddress, timeout: 15000,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({
        status: res.statusCode, headers: res.headers,
        text: Buffer.concat(chunks).toString('utf8'), raw: Buffer.concat(chunks),
      }));
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

// A loopback address of its own for a test that needs a distinct client
// (rate limits key on the client address): 127.x.y.z, never reused.
let nextAddress = Math.floor(Math.random() * 60000);
export function freshAddress() {
  nextAddress = (nextAddress + 1) % 64000;
  return `127.${10 + (nextAddress >> 8) % 200}.${nextAddress & 255}.${1 + Math.floor(Math.random() * 250)}`;
}

// A browser-like session: keeps cookies by name (paths are not modelled:
// every test stays on one event).
export class Client {
  constructor({ localAddress } = {}) { this.cookies = new Map(); this.localAddress = localAddress; }

  cookieHeader() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }

  async req(method, urlPath, opts = {}) {
    const headers = { ...(opts.headers || {}) };
    if (this.cookies.size) headers.Cookie = this.cookieHeader();
    const res = await request(method, urlPath, { ...opts, headers, localAddress: this.localAddress });
    for (const c of [].concat(res.headers['set-cookie'] || [])) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim(), value = pair.slice(i + 1).trim();
      if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  get(p, opts) { return this.req('GET', p, opts); }
  post(p, body, opts = {}) { return this.req('POST', p, { ...opts, body }); }

  // Signs in through the login form. Returns the POST's response.
  async login(username, password) {
    const page = await this.get('/admin/login');
    return this.post('/admin/login', [['_csrf', hidden(page.text, '_csrf')], ['username', username], ['password', password]]);
  }
}

// The value of a hidden input, decoded from HTML.
export function hidden(html, name) {
  const m = html.match(new RegExp(`<input type="hidden" name="${name.replace('.', '\\.')}" value="([^"]*)"`));
  return m ? unescapeHtml(m[1]) : null;
}

export function unescapeHtml(s) {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

// A complete, valid set of answers for an instrument: [[field, value]...].
// overrides: {field: value | [values] | null (leave out)}.
export function answers(kind, overrides = {}) {
  const out = [];
  const put = (k, v) => {
    if (k in overrides) return;
    out.push([k, String(v)]);
  };
  for (const it of items(kind)) {
    if (it.personal || it.consent) continue;
    switch (it.type) {
      case 'single': put(it.key, it.options[0].value); break;
      case 'quiz': put(it.key, it.correct); break;
      case 'multi': put(it.key, it.options[0].value); break;
      case 'likert5': put(it.key, 3); if (it.retro && kind === 'post') put(`${it.key}.retro`, 2); break;
      case 'rating10': put(it.key, 9); break;
      case 'number': put(it.key, it.min ?? 1); break;
      case 'text': case 'longtext': put(it.key, `réponse ${it.key}`); break;
      case 'rank': for (let r = 1; r <= it.top; r++) put(`${it.key}.${r}`, it.options[r - 1].value); break;
      default: break;
    }
  }
  for (const [k, v] of Object.entries(overrides)) {
    if (v === null) continue;
    for (const x of [].concat(v)) out.push([k, String(x)]);
  }
  return out;
}

// GETs the form and POSTs answers with its technical fields. Returns
// { form, res } (the GET and the POST responses).
export async function submit(client, kind, body, { query = '', extra = [] } = {}) {
  const form = await client.get(`/e/${SLUG}/${kind}${query}`);
  const tech = ['_token', '_version', '_lang', '_code'].map((k) => [k, hidden(form.text, k)]).filter(([, v]) => v !== null);
  const res = await client.post(`/e/${SLUG}/${kind}`, [...tech, ...extra, ...body]);
  return { form, res };
}

// The participant code shown on a thanks page.
export function shownCode(html) {
  const m = html.match(/id="participant-code"[^>]*>([0-9A-Z]{4}-[0-9A-Z]{4})</);
  return m ? m[1] : null;
}
