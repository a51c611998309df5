-- backfill of 011_attendee_edit.sql: personal items never reach the raw
-- answers; what earlier versions stored in response.answers and
-- response_history is removed, using each response's own definition to
-- know which keys were personal. Re-runnable.
UPDATE response SET answers = answers - enquete_personal_keys(definition_id)
	WHERE answers ?| enquete_personal_keys(definition_id);
UPDATE response_history
	SET answers = answers - enquete_personal_keys(definition_id)
	WHERE answers ?| enquete_personal_keys(definition_id);
