// office-sheets.test.mjs: results.xlsx past a sheet's rows (issue 22,
// DESIGN.md "Reports for the donor"; docs/exports.md). Excel holds at most
// 1,048,576 rows a sheet; a larger event continues in "responses 2",
// "responses 3"... A stack of its own with ENQUETE_XLSX_SHEET_ROWS=10 (9
// participants a sheet, the header's row included) and an event of 40
// generated participants: openpyxl finds the sheets in order (responses,
// responses 2..5 right after it, then codebook and the analysis sheets
// with their native charts), each responses sheet with csv-wide's header
// frozen, right to left in Arabic, every participant exactly once in
// csv-wide's order with the same empty cells and numbers; R's readxl reads
// the five sheets back to csv-wide's rows. Before the continuation sheets,
// the whole event went on one sheet (and past a million rows, a 500).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsv } from './csv.mjs';

import { ownStack, bigEvent } from './ownstack.mjs';

// (not lib.mjs's: importing it before ENQUETE_BASE_URL is set would fix
// its BASE to the shared stack)
const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

const ROWS = 10;
const N = 40;
const s = await ownStack('xsh', { ENQUETE_XLSX_SHEET_ROWS: String(ROWS), ENQUETE_WORKERS: '2' });
process.env.ENQUETE_BASE_URL = s.base;
const { Client } = await import('./client.mjs');
const BIG = 'sheets-big';
const PY = '/usr/bin/python3';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';


let admin;
before(async () => {
  s.up();
  await bigEvent(s, BIG, N);
  admin = new Client();
  assert.equal((await admin.login('admin', s.password)).status, 303);
}, { timeout: 300000 });

test('results.xlsx continues in "responses 2".. right after "responses": each participant once, in csv-wide order', { timeout: 120000 }, async () => {
  const wideRes = await admin.get(`/admin/e/${BIG}/export.csv?format=wide`);
  assert.equal(wideRes.status, 200);
  const wide = parseCsv(wideRes.text);
  assert.equal(wide.length - 1, N, 'csv-wide: one row per participant');
  writeFileSync(path.join(s.root, 'wide.json'), JSON.stringify(wide));
  const nsheets = Math.ceil(N / (ROWS - 1));
  assert.equal(nsheets, 5);
  for (const lang of ['en', 'ar']) {
    const res = await admin.get(`/admin/e/${BIG}/results.xlsx?lang=${lang}`);
    assert.equal(res.status, 200, `${lang}: ${res.status} ${res.text.slice(0, 200)}`);
    assert.equal(res.headers['content-type'].split(';')[0], XLSX);
    const file = path.join(s.root, `sheets-${lang}.xlsx`);
    writeFileSync(file, res.raw);
    const py = spawnSync(PY, ['-c', `
import json, sys
from openpyxl import load_workbook
wb = load_workbook(sys.argv[1])
wide = json.load(open(sys.argv[2], encoding='utf-8'))
rtl = sys.argv[3] == 'ar'
rows, nsheets = int(sys.argv[4]), int(sys.argv[5])
resp = ['responses'] + ['responses %d' % k for k in range(2, nsheets + 1)]
want = resp + ['codebook', 'counts', 'paired', 'retro', 'quiz', 'evaluation', 'nps', 'ranking']
assert wb.sheetnames == want, wb.sheetnames
for ws in wb.worksheets:
    assert bool(ws.sheet_view.rightToLeft) == rtl, (ws.title, ws.sheet_view.rightToLeft)
seen = []
for k, name in enumerate(resp):
    ws = wb[name]
    got = [list(r) for r in ws.iter_rows(values_only=True)]
    # the same header row on each: participant, then csv-wide's columns
    assert got[0] == wide[0], (name, got[0][:5])
    assert ws.freeze_panes == 'B2', (name, ws.freeze_panes)
    body = got[1:]
    # full sheets but the last
    assert len(body) == (rows - 1 if k < nsheets - 1 else len(wide) - 1 - (rows - 1) * k), (name, len(body))
    for r in body:
        w = wide[1 + len(seen)]
        assert r[0] == w[0], (name, r[0], w[0])
        for c, (x, v) in enumerate(zip(r, w)):
            # an empty csv cell is an empty cell; a number stays that number
            assert (v == '') == (x is None), (name, w[0], wide[0][c], x, v)
            if isinstance(x, (int, float)):
                assert abs(x - float(v)) < 1e-9, (name, w[0], wide[0][c], x, v)
        seen.append(r[0])
assert seen == [w[0] for w in wide[1:]], 'every participant once, in order'
assert len(set(seen)) == len(seen)
# the codebook and the native charts, unchanged
cb = [r for r in wb['codebook'].iter_rows(min_row=2, values_only=True) if r[0]]
assert [r[0] for r in cb] == wide[0][1:], 'one codebook row per responses column'
assert len(wb['paired']._charts) == 1, wb['paired']._charts
assert len(wb['ranking']._charts) == 1, wb['ranking']._charts
assert 'paired' in wb['paired']._charts[0].series[0].val.numRef.f
counts = [r for r in wb['counts'].iter_rows(min_row=2, values_only=True)]
assert counts[0][3] == len(wide) - 1, counts
print('ok', len(seen))
`, file, path.join(s.root, 'wide.json'), lang, String(ROWS), String(nsheets)], { encoding: 'utf8' });
    assert.equal(py.status, 0, `${lang}: ${py.stdout}${py.stderr}`);
    assert.match(py.stdout, new RegExp(`^ok ${N}$`, 'm'));
  }
  // R's readxl: the responses sheets bound together are csv-wide's rows
  writeFileSync(path.join(s.root, 'wide.csv'), wideRes.raw);
  const r = spawnSync('Rscript', ['-e', `
suppressMessages(library(readxl))
a <- commandArgs(TRUE)
s <- excel_sheets(a[1])
resp <- s[grepl("^responses( [0-9]+)?$", s)]
stopifnot(identical(resp, c("responses", paste("responses", 2:as.integer(a[3])))))
x <- do.call(rbind, lapply(resp, function(n) as.data.frame(read_excel(a[1], sheet = n, col_types = "text"))))
w <- read.csv(a[2], colClasses = "character", na.strings = "", encoding = "UTF-8", check.names = FALSE)
stopifnot(identical(names(x), names(w)), identical(x$participant, w$participant))
cat("rows", nrow(x), "\\n")`, path.join(s.root, 'sheets-en.xlsx'), path.join(s.root, 'wide.csv'), String(nsheets)],
  { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`rows ${N}`));
});

test('ENQUETE_XLSX_SHEET_ROWS out of its bounds stops enquete-fcgi at start, naming the setting and the bound', () => {
  for (const v of ['9', '1048577', 'ten']) {
    const r = spawnSync(path.join(REPO, 'bin/enquete-fcgi'), [],
      { encoding: 'utf8', timeout: 10000, env: { ...s.env, ENQUETE_XLSX_SHEET_ROWS: v, ENQUETE_SOCKET: path.join(s.root, 'never.sock') } });
    assert.equal(r.status, 1, `${v}: ${r.stderr}`);
    assert.match(r.stderr, /invalid value for ENQUETE_XLSX_SHEET_ROWS: .*between 10 and 1048576/, v);
  }
});

test('the workers logged no sanitizer report (make test SANITIZE=1)', () => {
  assert.deepEqual(s.sanitizerReports().slice(0, 5), []);
});
