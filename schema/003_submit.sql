-- 003_submit.sql: consented contacts, and enquete_submit(), the one round
-- trip a submission makes: idempotency, participant linking, window check,
-- history and typed rows in one transaction. The statistics that follow
-- the answer rows are maintained by triggers on answer (see 004).

-- Personal data given with explicit consent; never in the exports.
CREATE TABLE contact (
	response_id bigint NOT NULL REFERENCES response ON DELETE CASCADE,
	item text NOT NULL,
	value text NOT NULL,
	PRIMARY KEY (response_id, item)
);

