-- roles.sql: the one definition of "user p_user may see event p_event"
-- (schema/020; DESIGN.md "Roles and what each may see"). An admin sees
-- every event, archived ones included (by their URL). An organiser or an
-- expert sees the events of their scope (every event when all_events,
-- else the rows of user_event), never an archived one. An unknown user
-- sees nothing.
CREATE OR REPLACE FUNCTION enquete_user_sees(p_user int, p_event int)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT coalesce((
		SELECT u.role = 'admin' OR (
			NOT EXISTS (SELECT 1 FROM event e WHERE e.id = p_event
				AND e.archived_at IS NOT NULL)
			AND (u.all_events OR EXISTS (SELECT 1 FROM user_event ue
				WHERE ue.user_id = u.id AND ue.event_id = p_event)))
		FROM app_user u WHERE u.id = p_user), false)
$$;
