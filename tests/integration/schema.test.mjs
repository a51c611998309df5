// schema.test.mjs: the schema in one place (issue 19.4). A fresh database
// gives exactly schema/current.sql; a database migrated with the
// migrations of before the split and then with today's gives the same;
// migrations hold no function or trigger, each of which is written once
// under schema/functions/ and re-applied by every migrate; SQL never reads
// the questionnaire's JSON: the loader writes stats_item from the parsed
// definition.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { psql, REPO, tmpDir } from './lib.mjs';

const run = (cmd, args, env = {}) => spawnSync(cmd, args, { encoding: 'utf8', cwd: REPO, env: { ...process.env, ...env }, timeout: 120000 });
const ctl = (args, env = {}) => run(path.join(REPO, 'bin/enquetectl'), args, env);
const dump = (args = []) => run(path.join(REPO, 'scripts/schema-dump'), args);
// main before the functions left the migrations (its 001-015 redefine
// functions in place)
const BEFORE = '22d089f';

test('a fresh database matches schema/current.sql (scripts/schema-dump --check; make schema rewrites it)', () => {
  const r = dump(['--check']);
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
});

test('a database migrated with the migrations of before the split, then with today\'s, has the same schema as a fresh one', (t) => {
  if (run('git', ['cat-file', '-e', `${BEFORE}^{commit}`]).status !== 0) {
    t.skip(`revision ${BEFORE} is not in this checkout's history`);
    return;
  }
  const up = dump(['--upgrade-from', BEFORE]);
  assert.equal(up.status, 0, up.stderr);
  const fresh = readFileSync(path.join(REPO, 'schema/current.sql'), 'utf8');
  if (up.stdout !== fresh) {
    const a = fresh.split('\n'), b = up.stdout.split('\n');
    const i = a.findIndex((l, k) => l !== b[k]);
    assert.fail(`upgraded schema differs from schema/current.sql at line ${i + 1}:\n- ${a.slice(i, i + 5).join('\n- ')}\n+ ${b.slice(i, i + 5).join('\n+ ')}`);
  }
});

// The backfills (schema/backfill/) of a database with answers stored
// before a migration give the figures that migration gave: from before
// 008 (comments, segments, personal keys, prer/quizd all backfilled) and
// from before 015.
for (const upto of ['007', '014']) {
  test(`a database with answers at ${BEFORE}'s ${upto}, upgraded by today's migrate, has the figures ${BEFORE}'s own migrations give`, (t) => {
    if (run('git', ['cat-file', '-e', `${BEFORE}^{commit}`]).status !== 0) {
      t.skip(`revision ${BEFORE} is not in this checkout's history`);
      return;
    }
    const r = dump(['--upgrade-data', BEFORE, upto]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /same figures \([1-9]\d* statistics, [1-9]\d* segment, [1-9]\d* comment count rows\), checks clean/);
  });
}

test('migrations create and change tables only; every function and trigger is written once under schema/functions/', () => {
  const dir = path.join(REPO, 'schema');
  for (const f of readdirSync(dir).filter((x) => /^\d{3}_.*\.sql$/.test(x))) {
    const sql = readFileSync(path.join(dir, f), 'utf8').replace(/--.*$/gm, '');
    assert.doesNotMatch(sql, /CREATE\s+(OR\s+REPLACE\s+)?(FUNCTION|(CONSTRAINT\s+)?TRIGGER)\b/i, `${f} defines a function or trigger`);
  }
  const seen = new Map();
  const fdir = path.join(dir, 'functions');
  for (const f of readdirSync(fdir).filter((x) => x.endsWith('.sql'))) {
    const sql = readFileSync(path.join(fdir, f), 'utf8').replace(/--.*$/gm, '');
    for (const m of sql.matchAll(/CREATE\s+(?:OR\s+REPLACE\s+)?(FUNCTION|(?:CONSTRAINT\s+)?TRIGGER)\s+(\w+)\s*(\([^)]*\))?/gi)) {
      // enquete_submit has two forms (11 and 12 arguments)
      const key = `${m[1].toUpperCase().replace(/\s+/g, ' ')} ${m[2]}${m[3] ? '/' + m[3].slice(1, -1).split(',').filter((a) => a.trim() && !/^\s*OUT\s/i.test(a)).length : ''}`;
      assert.ok(!seen.has(key), `${key} in ${f} and ${seen.get(key)}`);
      seen.set(key, f);
    }
  }
  // every function and trigger of the database comes from those files
  const fns = psql(`SELECT p.proname || '/' || p.pronargs FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace ORDER BY 1`).map((r) => r[0]);
  const written = [...seen.keys()].filter((k) => k.startsWith('FUNCTION ')).map((k) => k.slice(9));
  assert.deepEqual(fns, written.sort());
  const trg = psql(`SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace ORDER BY 1`).map((r) => r[0]);
  const triggers = [...seen.keys()].filter((k) => !k.startsWith('FUNCTION ')).map((k) => k.split(' ').pop());
  assert.deepEqual(trg, triggers.sort());
});

test('migrate re-applies the functions: a function changed by hand is restored by the next migrate', () => {
  const orig = psql(`SELECT md5(pg_get_functiondef('enquete_window_open(int, text)'::regprocedure))`)[0][0];
  psql(`CREATE OR REPLACE FUNCTION enquete_window_open(p_event int, p_instrument text) RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT false $$`);
  assert.notEqual(psql(`SELECT md5(pg_get_functiondef('enquete_window_open(int, text)'::regprocedure))`)[0][0], orig);
  const r = ctl(['migrate']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /schema up to date/);
  assert.equal(psql(`SELECT md5(pg_get_functiondef('enquete_window_open(int, text)'::regprocedure))`)[0][0], orig);
});

test('a migration and a broken function file in one migrate: neither is applied (one transaction)', () => {
  const dir = path.join(tmpDir('enq-schema-'), 'schema');
  cpSync(path.join(REPO, 'schema'), dir, { recursive: true });
  writeFileSync(path.join(dir, '998_new_table.sql'), 'CREATE TABLE schema_test_t (x int);\n');
  writeFileSync(path.join(dir, 'functions', 'zz_broken.sql'), 'CREATE OR REPLACE FUNCTION schema_test_f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\nCREATE OR REPLACE TRIGGER t AFTER INSERT ON no_such_table FOR EACH ROW EXECUTE FUNCTION schema_test_f();\n');
  const r = ctl(['migrate'], { ENQUETE_SCHEMA: dir });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /no_such_table/);
  assert.match(r.stderr, /zz_broken\.sql failed; nothing of this run was applied/);
  assert.deepEqual(psql(`SELECT to_regclass('schema_test_t') IS NULL, to_regproc('schema_test_f') IS NULL, (SELECT count(*) FROM schema_migrations WHERE version = '998_new_table.sql')`), [['t', 't', '0']]);
});

test('no function of the schema reads the questionnaire JSON', () => {
  // enquete_console_store (the console's upload) writes the text whole into
  // definition.body and never reads it: C parsed and compared it
  assert.deepEqual(psql(`SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND (prosrc ~ 'instruments' OR prosrc ~ '\\mbody\\M') AND proname <> 'enquete_console_store' ORDER BY 1`), []);
  assert.doesNotMatch(psql(`SELECT prosrc FROM pg_proc WHERE proname = 'enquete_console_store'`)[0][0], /\.body\b|body\s*=|->|#>|jsonb_(?!to_recordset)/);
});

// What stats_item must hold for a definition, from its JSON (the rows
// the SQL fill of schema/004 wrote before 017).
function expectedItems(def) {
  const rows = [];
  for (const [instrument, ins] of Object.entries(def.instruments)) {
    ins.sections.forEach((sec, s) => sec.items.forEach((it, t) => {
      const pos = ((s + 1) * 1000 + t + 1) * 4;
      const personal = it.personal === true ? 't' : 'f';
      rows.push([instrument, it.key, String(pos), it.type, it.analysis, it.correct ?? '', personal]);
      if (it.other === true) rows.push([instrument, `${it.key}.other`, String(pos + 1), 'other', 'other', '', personal]);
      if (it.retro === true) rows.push([instrument, `${it.key}.retro`, String(pos + 2), it.type, 'retro', '', personal]);
    }));
  }
  return rows;
}

test('enquetectl load writes stats_item from the parsed definition, for every stored version of the bundled event', () => {
  const r = ctl(['load', path.join(REPO, 'schema/questionnaires/imanor-2017.json')]);
  assert.equal(r.status, 0, r.stderr);
  const defs = psql(`SELECT d.id, d.body FROM definition d JOIN event e ON e.id = d.event_id WHERE e.slug = 'imanor-2017' ORDER BY d.id`);
  assert.ok(defs.length >= 1);
  for (const [id, body] of defs) {
    const got = psql(`SELECT instrument, item, pos, type, role, coalesce(correct, ''), personal FROM stats_item WHERE definition_id = :id ORDER BY instrument COLLATE "C", item COLLATE "C"`, { id });
    const want = expectedItems(JSON.parse(body)).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    assert.deepEqual(got, want, `definition ${id}`);
  }
  // the personal keys come from those rows
  assert.deepEqual(psql(`SELECT enquete_personal_keys(definition_id) FROM event WHERE slug = 'imanor-2017'`), [['{contact,followup_email}']]);
});
