-- 004_stats.sql: the tables of the sufficient statistics behind the
-- summary: stats_item (what the statistics need to know of each answer
-- field of a definition version) and stats_agg (the tuples, split over 16
-- slots). What keeps them and what reads them: schema/functions/stats.sql
-- (the triggers in the transaction of every submission, update and
-- erasure; the tuple kinds are described there) and recompute.sql (the
-- recomputation from the raw rows and the check that both agree); the
-- statistics of the events stored before it: schema/backfill/004_stats.sql.

-- Item metadata per definition version: what the triggers need to know
-- about an answer row (type, role, the right quiz answer), written with
-- each new definition version by enquetectl load (schema/017). Also gives the form order (pos) to the exports.
CREATE TABLE stats_item (
	definition_id int NOT NULL REFERENCES definition ON DELETE CASCADE,
	instrument text NOT NULL,
	item text NOT NULL,          -- key, key.other, key.retro
	pos int NOT NULL,            -- form order within the instrument
	type text NOT NULL,          -- qdef type; 'other' for key.other
	role text NOT NULL,          -- analysis role; 'retro' for key.retro
	correct text,                -- quiz: the right option value
	personal boolean NOT NULL,
	PRIMARY KEY (definition_id, instrument, item)
);

CREATE TABLE stats_agg (
	event_id int NOT NULL REFERENCES event ON DELETE CASCADE,
	kind text NOT NULL,
	instrument text NOT NULL,
	item text NOT NULL,
	value text NOT NULL,
	rank int NOT NULL,
	slot smallint NOT NULL,
	n bigint NOT NULL,
	s1 double precision NOT NULL,
	s2 double precision NOT NULL,
	PRIMARY KEY (event_id, kind, instrument, item, value, rank, slot)
);

