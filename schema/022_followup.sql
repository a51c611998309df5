-- 022_followup.sql: the follow-up instrument (issue 24, DESIGN.md
-- "Instruments: pre, post, and a follow-up months later"): a third
-- instrument, linked to the participant like post. Only the CHECKs on
-- instrument names widen; the statistics' new tuple kinds (fpre, fpost
-- and the follow-up's resp counts) come from schema/functions/
-- stats_change.sql and appear only with follow-up responses, so nothing
-- stored before needs rebuilding.
ALTER TABLE response DROP CONSTRAINT response_instrument_check;
ALTER TABLE response ADD CONSTRAINT response_instrument_check
	CHECK (instrument IN ('pre', 'post', 'followup'));
ALTER TABLE instrument_window
	DROP CONSTRAINT instrument_window_instrument_check;
ALTER TABLE instrument_window ADD CONSTRAINT
	instrument_window_instrument_check
	CHECK (instrument IN ('pre', 'post', 'followup'));
ALTER TABLE paper_entry DROP CONSTRAINT paper_entry_instrument_check;
ALTER TABLE paper_entry ADD CONSTRAINT paper_entry_instrument_check
	CHECK (instrument IN ('pre', 'post', 'followup'));
ALTER TABLE paper_sheet DROP CONSTRAINT paper_sheet_instrument_check;
ALTER TABLE paper_sheet ADD CONSTRAINT paper_sheet_instrument_check
	CHECK (instrument IN ('pre', 'post', 'followup'));
