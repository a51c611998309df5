// followup_seed.mjs: an event with pre, post and a follow-up (issue 24)
// and its seeding through enquete_submit(), for followup.test.mjs and
// for measuring the summary at two sizes (see the README's note there).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, psql } from './lib.mjs';

const ctl = (args, input) => spawnSync(path.join(REPO, 'bin/enquetectl'), args,
  { encoding: 'utf8', cwd: REPO, input, maxBuffer: 1 << 28 });
const must = (r, what) => { assert.equal(r.status, 0, `${what}: ${r.stderr}`); return r.stdout; };

// pre, post and a follow-up that asks the two knowledge items again, with
// two outcome items (single and multi) and a comment.
export function definition(slug) {
  const L = (fr) => ({ fr, en: `${fr} (en)`, ar: `ع ${fr}` });
  const opt = (value, fr, extra = {}) => ({ value, label: L(fr), ...extra });
  const lik = ['Aucune', 'Faible', 'Moyenne', 'Bonne', 'Très bonne'].map(L);
  const r10 = [L('Pas du tout'), L('Tout à fait')];
  const know = (extra = {}) => [
    { key: 'know_iso', type: 'likert5', analysis: 'knowledge', label: L('ISO'), scale: lik, ...extra },
    { key: 'know_tbt', type: 'rating10', analysis: 'knowledge', label: L('OTC'), scale: r10 },
  ];
  const pre = [
    { key: 'org_type', type: 'single', analysis: 'profile', label: L("Type d'organisation"),
      options: [opt('chamber', 'Chambre'), opt('agency', 'Agence'), opt('company', 'Entreprise')] },
    ...know(),
  ];
  const post = [
    ...know({ retro: true }),
    { key: 'nps', type: 'rating10', analysis: 'nps', label: L('Recommander'), scale: r10 },
    { key: 'followup_consent', type: 'single', analysis: 'collaboration', consent: true, label: L('Suivi ?'),
      options: [opt('yes', 'Oui, invitez-moi'), opt('no', 'Non merci')] },
    { key: 'followup_email', type: 'text', analysis: 'contact', personal: true, requires: 'followup_consent',
      label: L('Courriel') },
  ];
  const followup = [
    ...know(),
    { key: 'applied', type: 'single', analysis: 'outcome', label: L('Appliqué ?'),
      options: [opt('yes', 'Oui'), opt('partly', 'En partie'), opt('no', 'Non')] },
    { key: 'services', type: 'multi', analysis: 'outcome', label: L('Services'),
      options: [opt('info', 'Information'), opt('training', 'Formation'), opt('alerts', 'Alertes'),
        opt('none', 'Aucun', { exclusive: true })] },
    { key: 'fu_comments', type: 'longtext', analysis: 'comment', label: L('Commentaires') },
  ];
  const inst = (title, items) => ({ title: L(title), intro: L('Intro'), sections: [{ id: 's1', title: L('S1'), items }] });
  return {
    format: 1,
    event: { slug, title: L('Suivi'), dates: { start: '2024-03-12', end: '2024-03-13' },
      place: { city: L('Rabat'), country: 'MA' }, timezone: 'Africa/Casablanca',
      languages: ['fr', 'en', 'ar'], default_language: 'fr', privacy: L('Anonyme') },
    instruments: { pre: inst('Avant', pre), post: inst('Après', post), followup: inst('Suivi', followup) },
  };
}

// Seeds participants 1..n (settings seed.slug, seed.n): pre and post for
// most, post alone for some, a follow-up for two in three, and three who
// answer the follow-up alone; ties and zero differences on purpose.
export const SEED_SQL = `DO $$
DECLARE
	v_ev int; v_def int; i int; h int; code text; outc text;
	kpre int; kpost int; kfu int; tpre int; tpost int; tfu int; svc text[];
	pre jsonb; post jsonb; fu jsonb;
BEGIN
	SELECT id, definition_id INTO v_ev, v_def FROM event WHERE slug = current_setting('seed.slug');
	FOR i IN 1 .. current_setting('seed.n')::int + 3 LOOP
		h := abs(hashint4(i * 7919));
		code := 'F' || lpad(i::text, 7, '0');
		kpre := 1 + h % 4; kpost := least(5, kpre + (h / 4) % 3);
		kfu := greatest(1, least(5, kpost - 1 + (h / 16) % 3));
		tpre := (h / 64) % 8; tpost := least(10, tpre + (h / 512) % 4);
		tfu := greatest(0, least(10, tpost - 1 + (h / 4096) % 3));
		svc := string_to_array((ARRAY['info', 'info,training', 'none', 'training,alerts'])[1 + (h / 32768) % 4], ',');
		pre := jsonb_build_object('org_type', (ARRAY['chamber','agency','company'])[1 + (h / 8) % 3],
			'know_iso', kpre::text, 'know_tbt', tpre::text);
		post := jsonb_build_object('know_iso', kpost::text, 'know_iso.retro', greatest(1, kpre - 1)::text,
			'know_tbt', tpost::text, 'nps', ((h / 128) % 11)::text, 'followup_consent', 'no');
		fu := jsonb_build_object('know_iso', kfu::text, 'know_tbt', tfu::text,
			'applied', (ARRAY['yes','partly','no','yes'])[1 + (h / 65536) % 4], 'services', to_jsonb(svc));
		IF i <= current_setting('seed.n')::int THEN
			IF i % 10 <> 9 THEN
				SELECT s.outcome INTO outc FROM enquete_submit(v_ev, 'pre', v_def, gen_random_uuid()::text::bytea,
					'new', NULL, code, 'fr', pre, enquete_seed_rows(pre), '{}'::jsonb) s;
				IF i % 7 <> 3 THEN
					SELECT s.outcome INTO outc FROM enquete_submit(v_ev, 'post', v_def, gen_random_uuid()::text::bytea,
						'code', code, NULL, 'ar', post, enquete_seed_rows(post), '{}'::jsonb) s;
				END IF;
			ELSE
				SELECT s.outcome INTO outc FROM enquete_submit(v_ev, 'post', v_def, gen_random_uuid()::text::bytea,
					'new', NULL, code, 'en', post, enquete_seed_rows(post), '{}'::jsonb) s;
			END IF;
			IF i % 3 <> 0 THEN
				SELECT s.outcome INTO outc FROM enquete_submit(v_ev, 'followup', v_def, gen_random_uuid()::text::bytea,
					'code', code, NULL, 'fr', fu, enquete_seed_rows(fu), '{}'::jsonb) s;
			END IF;
		ELSE
			SELECT s.outcome INTO outc FROM enquete_submit(v_ev, 'followup', v_def, gen_random_uuid()::text::bytea,
				'new', NULL, code, 'fr', fu, enquete_seed_rows(fu), '{}'::jsonb) s;
		END IF;
	END LOOP;
END $$;`;

// The typed rows enquete_submit's caller builds: one per value (a
// multi-select one per option), num for the ratings.
const ROWS_FN = `CREATE OR REPLACE FUNCTION pg_temp.enquete_seed_rows(p jsonb) RETURNS jsonb
LANGUAGE sql AS $f$
	SELECT jsonb_agg(x) FROM (
		SELECT jsonb_build_object('item', e.key, 'value', e.value #>> '{}', 'num',
			CASE WHEN e.key ~ '^(know_|nps)' THEN (e.value #>> '{}')::float8 END) x
		FROM jsonb_each(p) e WHERE jsonb_typeof(e.value) = 'string'
		UNION ALL
		SELECT jsonb_build_object('item', e.key, 'value', v #>> '{}')
		FROM jsonb_each(p) e, jsonb_array_elements(e.value) v
		WHERE jsonb_typeof(e.value) = 'array') q
$f$;`;

export function loadEvent(slug, dir) {
  const file = path.join(dir, `${slug}.json`);
  writeFileSync(file, JSON.stringify(definition(slug), null, 1));
  must(ctl(['load', file]), 'load');
  for (const k of ['pre', 'post', 'followup']) must(ctl(['event', 'open', slug, k]), `open ${k}`);
}

export function seed(slug, n) {
  psql(`SET seed.slug = :'s'; SET seed.n = :'n';\n${ROWS_FN.replace(/enquete_seed_rows/g, 'enquete_seed_rows')}\n`
    + SEED_SQL.replace(/enquete_seed_rows/g, 'pg_temp.enquete_seed_rows'), { s: slug, n: String(n) });
}

