// report_seed.mjs: an event for the report suites (integration and
// browser), answered through enquete_submit as n participants would: most
// answer both questionnaires, some only pre (attrition), some only post
// (unpaired); knowledge and quiz rise; the post comment repeats exact
// duplicates in three languages and naughty strings.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, psql } from './lib.mjs';
import { DEF } from './client.mjs';

export const items = (def, kind) => def.instruments[kind].sections.flatMap((s) => s.items);
const ctl = (args, input) => spawnSync(path.join(REPO, 'bin/enquetectl'), args, { cwd: REPO, input, encoding: 'utf8' });
const must = (r, what) => { assert.equal(r.status, 0, `${what}: ${r.stderr}`); return r.stdout; };
const RUN = Date.now().toString(36);
// the comments: the same text several times (merged with its count), in
// three languages, and naughty strings (escaped in HTML, valid in XML)
export const NAUGHTY = ['<script>alert("x")</script> & \'q\'', ']]><w:p/>&amp;', '\u202etxt.exe', 'ﷺ 𝕳𝖊𝖑𝖑𝖔 👩‍👩‍👧'];
const commentOf = (i) => (i % 4 === 0 ? 'Très utile' : i % 4 === 1 ? 'مفيد جدا' : i % 4 === 2 ? `Useful ${i}` : NAUGHTY[((i >> 2) + 1) % NAUGHTY.length]);
const langOf = (i) => (i % 4 === 0 ? 'fr' : i % 4 === 1 ? 'ar' : 'en');

function rng(seed) {
  let x = seed >>> 0;
  return () => { x = (x * 1664525 + 1013904223) >>> 0; return x / 2 ** 32; };
}
const pick = (r, a) => a[Math.floor(r() * a.length)];
const clamp = (v) => Math.max(1, Math.min(5, v));

function answersOf(def, kind, i, r) {
  const a = {};
  const base = 1 + (i % 3);
  for (const it of items(def, kind)) {
    if (it.personal || it.consent) continue;
    switch (it.type) {
      case 'single': a[it.key] = pick(r, it.options).value; break;
      case 'multi': a[it.key] = [...new Set([pick(r, it.options).value, pick(r, it.options).value])]
        .filter((v, _, all) => all.length === 1 || !it.options.find((o) => o.value === v).exclusive); break;
      case 'quiz': a[it.key] = r() < (kind === 'pre' ? 0.4 : 0.8) ? it.correct : pick(r, it.options).value; break;
      case 'likert5':
        a[it.key] = String(clamp(kind === 'pre' || it.analysis !== 'knowledge' ? base + Math.floor(r() * 2)
          : base + 1 + Math.floor(r() * 3)));
        if (it.analysis === 'evaluation') a[it.key] = String(3 + Math.floor(r() * 3));
        if (it.retro && kind === 'post') a[`${it.key}.retro`] = String(clamp(base - 1 + Math.floor(r() * 2)));
        break;
      case 'rating10': a[it.key] = String(Math.floor(r() * 11)); break;
      // the general comment repeats (merged with its count); any other
      // free-text question of post gets texts of its own
      case 'longtext': if (kind === 'post') a[it.key] = it.key === 'comments' ? commentOf(i) : `${it.key} ${i}`; break;
      case 'rank': {
        const opts = it.options.map((o) => o.value).sort(() => r() - 0.5);
        for (let k = 1; k <= it.top; k++) a[`${it.key}.${k}`] = opts[k - 1];
        break;
      }
      default: break;
    }
  }
  return a;
}

function rowsOf(def, kind, a) {
  const byKey = new Map(items(def, kind).map((it) => [it.key, it]));
  return Object.entries(a).flatMap(([k, v]) => {
    const m = k.match(/^(.*)\.(\d+)$/);
    if (m) return [{ item: m[1], value: v, rank: Number(m[2]) }];
    const base = byKey.get(k.replace(/\.(retro|other)$/, ''));
    const numeric = base && ['likert5', 'rating10', 'number'].includes(base.type) && !k.endsWith('.other');
    return [].concat(v).map((x) => ({ item: k, value: x, num: numeric ? Number(x) : null }));
  });
}

function code(slug, i) {
  const s = `${slug.length}${RUN}${slug.at(-1)}${i}`.toUpperCase().replace(/[ILOU]/g, '0');
  return `R${s.replace(/[^0-9A-HJKMNP-TV-Z]/g, '0')}`.slice(0, 4) + String(i).padStart(4, '0');
}

// n participants: most answer both, some only pre (attrition), some only
// post (unpaired); the post comment in the participant's language.
export function seedReport(slug, n, seedValue, tmp) {
  const def = structuredClone(DEF);
  def.event.slug = slug;
  const file = path.join(tmp, `${slug}.json`);
  writeFileSync(file, JSON.stringify(def));
  must(ctl(['load', file]), 'load');
  must(ctl(['event', 'open', slug, 'pre']), 'open pre');
  must(ctl(['event', 'open', slug, 'post']), 'open post');
  const r = rng(seedValue);
  for (let i = 0; i < n; i++) {
    const c = code(slug, i);
    const pre = answersOf(def, 'pre', i, r), post = answersOf(def, 'post', i, r);
    // a consented contact now and then: never in the report
    const contacts = {};
    if (i % 5 === 1) { post.contact_consent = 'yes'; contacts.contact = `person${i}@example.org`; }
    const subs = [];
    if (i % 10 !== 9) subs.push(['pre', 'new', pre]);
    if (i % 8 !== 3) subs.push(['post', i % 10 === 9 ? 'new' : 'code', post]);
    for (const [inst, link, a] of subs) {
      const [[outcome]] = psql(`SELECT outcome FROM enquete_submit((SELECT id FROM event WHERE slug = :'slug'), :'inst',
        (SELECT definition_id FROM event WHERE slug = :'slug'), (:'slug' || :'code' || :'inst')::bytea, :'link', :'code', :'code', :'lang',
        :'answers'::jsonb, :'rows'::jsonb, :'contacts'::jsonb)`,
      { slug, inst, link, code: c, lang: langOf(i), answers: JSON.stringify({ ...a, ...(inst === 'post' ? contacts : {}) }),
        rows: JSON.stringify(rowsOf(def, inst, a)), contacts: JSON.stringify(inst === 'post' ? contacts : {}) });
      assert.equal(outcome, 'stored', `${slug} ${i} ${inst}`);
    }
  }
}

