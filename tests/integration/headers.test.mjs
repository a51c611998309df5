// headers.test.mjs: the security headers on every kind of response, from
// the application (cgi/core/http.c) and from nginx itself (static files, its
// own error pages); cookies as the contract says; no server version;
// gzip and cache headers where they belong.
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { BASE, REPO } from './lib.mjs';
import { Client, SLUG, answers, submit } from './client.mjs';

const uniq = Date.now().toString(36);
const EXPERT = `hdr${uniq}`, PW = 'headers pass 12';

// A request as written, nothing decoded (so Content-Encoding is seen as
// sent). Returns { status, headers, body (Buffer) }.
function raw(method, rawPath, { headers = {}, body } = {}) {
  const url = new URL(BASE);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: rawPath, method, headers, agent: false, timeout: 15000 }, (res) => {
      const parts = [];
      res.on('data', (c) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// The checks every response must pass.
function secure(res, what) {
  const csp = res.headers['content-security-policy'];
  assert.ok(csp, `${what}: a Content-Security-Policy`);
  assert.ok(!Array.isArray(csp), `${what}: one policy`);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|unsafe-hashes|\*/, `${what}: ${csp}`);
  assert.match(csp, /(^|;\s*)frame-ancestors 'none'(;|$)/, `${what}: frame-ancestors`);
  assert.match(csp, /(^|;\s*)default-src 'none'(;|$)/, `${what}: default-src`);
  for (const dir of csp.split(';').map((d) => d.trim()).filter(Boolean)) {
    const [, ...sources] = dir.split(/\s+/);
    for (const s of sources) assert.ok(["'self'", "'none'", 'data:'].includes(s), `${what}: third-party source ${s} in ${dir}`);
  }
  assert.equal(res.headers['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  assert.equal(res.headers['referrer-policy'], 'no-referrer', `${what}: Referrer-Policy`);
  assert.equal(res.headers['x-frame-options'], 'DENY', `${what}: X-Frame-Options`);
  // issue 18.9: powerful features off, no cross-origin opener
  assert.match(res.headers['permissions-policy'] ?? '', /(^|, )camera=\(\)/, `${what}: Permissions-Policy`);
  assert.match(res.headers['permissions-policy'] ?? '', /geolocation=\(\)/, `${what}: Permissions-Policy`);
  assert.equal(res.headers['cross-origin-opener-policy'], 'same-origin', `${what}: Cross-Origin-Opener-Policy`);
  // served over plain HTTP here (ENQUETE_PUBLIC_URL http://): no HSTS
  assert.equal(res.headers['strict-transport-security'], undefined, `${what}: no HSTS over http`);
  assert.doesNotMatch(res.headers.server ?? '', /\d/, `${what}: Server ${res.headers.server}`);
  assert.doesNotMatch(res.body.toString('latin1'), /nginx\/\d/, `${what}: no version in the body`);
  assert.ok(!res.headers['x-powered-by'], `${what}: X-Powered-By`);
}

const cookieOf = (res, name) => [].concat(res.headers['set-cookie'] || []).find((c) => c.startsWith(`${name}=`));

let session = '';

test.before(async () => {
  const add = spawnSync(path.join(REPO, 'bin/enquetectl'), ['user', 'add', EXPERT], { input: `${PW}\n`, encoding: 'utf8', cwd: REPO });
  assert.equal(add.status, 0, add.stderr);
  const c = new Client();
  assert.equal((await c.login(EXPERT, PW)).status, 303);
  session = `enq_session=${c.cookies.get('enq_session')}`;
});

test('every route family carries the security headers', async () => {
  const form = new Client();
  await submit(form, 'pre', answers('pre'));
  const code = `enq_code=${form.cookies.get('enq_code')}`;
  const pairs = new URLSearchParams(Array.from({ length: 2001 }, (_, i) => [`k${i}`, '1'])).toString();
  const cases = [
    ['GET', '/', {}, 200],
    ['GET', '/healthz', {}, 200],
    ['GET', `/e/${SLUG}/`, {}, 200],
    ['GET', `/e/${SLUG}/pre`, {}, 200],
    ['GET', `/e/${SLUG}/pre?lang=ar`, {}, 200],
    ['GET', `/e/${SLUG}/pre/thanks`, { headers: { Cookie: code } }, 200],
    ['POST', `/e/${SLUG}/pre`, { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'expectations=x' }, 422],
    ['GET', '/no/such/page', {}, 404],
    ['GET', '/e/no-such-event/pre', {}, 404],
    ['POST', '/healthz', { headers: { 'Content-Length': '0' } }, 405],
    ['PUT', `/e/${SLUG}/pre`, {}, 405],
    ['POST', `/e/${SLUG}/pre`, { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: pairs }, 413],
    ['POST', `/e/${SLUG}/pre`, { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a='.padEnd(300 * 1024, 'a') }, 413],
    ['GET', '/admin/login', {}, 200],
    ['GET', '/admin/', {}, 303],
    ['GET', `/admin/e/${SLUG}`, {}, 303],
    ['GET', '/admin/', { headers: { Cookie: session } }, 200],
    ['GET', `/admin/e/${SLUG}`, { headers: { Cookie: session } }, 200],
    ['GET', `/admin/e/${SLUG}/report`, { headers: { Cookie: session } }, 200],
    ['GET', '/admin/users', { headers: { Cookie: session } }, 403],
    ['GET', `/api/v1/events/${SLUG}/summary`, {}, 401],
    ['GET', `/api/v1/events/${SLUG}/summary`, { headers: { Cookie: session } }, 200],
    ['GET', `/admin/e/${SLUG}/export.csv?format=long`, { headers: { Cookie: session } }, 200],
    ['GET', `/admin/e/${SLUG}/export.json`, { headers: { Cookie: session } }, 200],
    ['GET', `/admin/e/${SLUG}/codebook.csv`, { headers: { Cookie: session } }, 200],
    ['GET', '/static/enquete.css', {}, 200],
    ['GET', '/static/enquete.js', {}, 200],
    ['GET', '/static/no-such-file.css', {}, 404],
    ['POST', '/static/enquete.css', { headers: { 'Content-Length': '0' } }, 405],
    ['GET', '/', { headers: { Cookie: 'x=' + 'y'.repeat(10 * 1024) } }, 400],
  ];
  for (const [method, p, opts, status] of cases) {
    const res = await raw(method, p, opts);
    const what = `${method} ${p.slice(0, 60)}`;
    assert.equal(res.status, status, what);
    secure(res, what);
    if (res.status === 401) {
      assert.match(res.headers['www-authenticate'], /^Bearer/);
      assert.match(res.headers['content-type'], /^application\/json/);
      assert.equal(typeof JSON.parse(res.body.toString()).error, 'string');
    }
    // what the application writes is never cached by anyone
    if (!p.startsWith('/static/') || res.status !== 200) assert.equal(res.headers['cache-control'], 'no-store', `${what}: Cache-Control`);
  }
});

test('cookies: enq_code HttpOnly, Lax, scoped to the event; enq_session HttpOnly, Strict', async () => {
  const c = new Client();
  const { res } = await submit(c, 'pre', answers('pre'));
  assert.equal(res.status, 303);
  const code = cookieOf(res, 'enq_code');
  assert.ok(code, 'enq_code set');
  const attrs = code.split(';').slice(1).map((a) => a.trim());
  assert.ok(attrs.includes('HttpOnly'), code);
  assert.ok(attrs.includes('SameSite=Lax'), code);
  assert.ok(attrs.includes(`Path=/e/${SLUG}/`), code);
  assert.ok(!attrs.some((a) => /^Domain=/i.test(a)), code);
  assert.match(code, /^enq_code=[0-9A-Z]{8}\.[0-9a-f]{32};/);

  const page = await raw('GET', '/admin/login');
  const login = cookieOf(page, 'enq_login');
  if (login) {
    assert.match(login, /HttpOnly/);
    assert.match(login, /SameSite=Strict|SameSite=Lax/);
  }
  const s = new Client();
  const ok = await s.login(EXPERT, PW);
  const sess = cookieOf(ok, 'enq_session');
  assert.ok(sess, 'enq_session set');
  const sattrs = sess.split(';').slice(1).map((a) => a.trim());
  assert.ok(sattrs.includes('HttpOnly'), sess);
  assert.ok(sattrs.includes('SameSite=Strict'), sess);
  assert.ok(!sattrs.some((a) => /^Domain=/i.test(a)), sess);
  // every cookie the application sets is at least SameSite
  for (const r of [res, page, ok]) {
    for (const ck of [].concat(r.headers['set-cookie'] || [])) assert.match(ck, /SameSite=(Strict|Lax)/, ck);
  }
});

test('gzip for HTML, CSS, JS and SVG; cache headers and revalidation on static files', async () => {
  const gz = { 'Accept-Encoding': 'gzip' };
  for (const p of ['/', `/e/${SLUG}/pre`, '/static/enquete.css', '/static/enquete.js']) {
    const res = await raw('GET', p, { headers: gz });
    assert.equal(res.status, 200, p);
    assert.equal(res.headers['content-encoding'], 'gzip', `${p}: gzip`);
    assert.match(res.headers.vary ?? '', /Accept-Encoding/, `${p}: Vary`);
  }
  const svgs = readdirSync(path.join(REPO, 'templates/static')).filter((f) => f.endsWith('.svg'));
  for (const f of svgs) {
    const res = await raw('GET', `/static/${f}`, { headers: gz });
    if (res.body.length > 512 || res.headers['content-encoding']) assert.equal(res.headers['content-encoding'], 'gzip', f);
    assert.match(res.headers['content-type'], /^image\/svg\+xml/);
  }
  // the dashboard's inline SVG charts come gzipped with their page
  const dash = await raw('GET', `/admin/e/${SLUG}`, { headers: { ...gz, Cookie: session } });
  assert.equal(dash.headers['content-encoding'], 'gzip');
  for (const p of ['/static/enquete.css', '/static/enquete.js']) {
    const res = await raw('GET', p);
    assert.match(res.headers['cache-control'] ?? '', /max-age=\d+/, `${p}: Cache-Control`);
    assert.ok(res.headers.etag, `${p}: ETag`);
    assert.ok(res.headers['last-modified'], `${p}: Last-Modified`);
    assert.match(res.headers['content-type'], p.endsWith('.css') ? /^text\/css/ : /javascript/);
    const again = await raw('GET', p, { headers: { 'If-None-Match': res.headers.etag } });
    assert.equal(again.status, 304, `${p}: revalidated`);
    secure(again, `${p} 304`);
  }
});
