-- 017_definition_items.sql: SQL no longer reads the questionnaire's JSON.
-- stats_item (what the statistics, comment and export functions need to
-- know of each answer field of a definition version) is written by
-- `enquetectl load` from the definition it has parsed and validated
-- (cgi/ctl/ctl_load.c), in the transaction that inserts the version; the
-- trigger that filled it by reading definition.body in SQL goes, and
-- enquete_personal_keys (schema/functions/submit.sql) reads stats_item.
DROP TRIGGER IF EXISTS stats_definition_ins ON definition;
DROP FUNCTION IF EXISTS stats_definition_ins();
DROP FUNCTION IF EXISTS stats_item_fill(int, jsonb);
