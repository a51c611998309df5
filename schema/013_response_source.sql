-- 013_response_source.sql: how each response came in, for the exports of
-- DESIGN.md "Exports (second stage)" (`lang` and `source` per response).
--
-- response.lang (001) already holds the language the attendee answered in:
-- enquete_submit() stores the form's `_lang`, which the form page sets to
-- the page's language. What it could hold that the attendee never saw: a
-- language the event does not offer (a POST without `_lang` or with another
-- one), because the submission stored the request's language unchecked.
-- Those rows get the event's default language, the one the form falls back
-- to (the submission now checks it the same way, cgi/web/page_form.c); the
-- language of the definition version the response answered decides.
--
-- response.source: 'web' for the attendee form (every response so far came
-- from it), 'paper' for a sheet typed in by an operator (DESIGN.md "Paper
-- questionnaires"). response_history keeps no source: a history row is an
-- earlier version of the same response.

ALTER TABLE response ADD COLUMN source text NOT NULL DEFAULT 'web'
	CHECK (source IN ('web', 'paper'));

UPDATE response r SET lang = d.body->'event'->>'default_language'
	FROM definition d
	WHERE d.id = r.definition_id
	AND d.body->'event'->>'default_language' IN ('fr', 'en', 'ar')
	AND NOT coalesce(d.body->'event'->'languages', '[]'::jsonb) ? r.lang;
