/* page_api.c: the JSON API for outside clients (DESIGN.md "HTTP contract");
 * the front controller has authenticated the caller (session or bearer). */
#include <json-c/json.h>

#include "app.h"
#include "event.h"
#include "keys.h"
#include "pages.h"
#include "summary.h"

/* Writes {"error": msg} as the body and returns status. */
static int api_error(struct req *r, int status, const char *msg)
{
	struct json_object *o = json_object_new_object();
	struct json_object *s = json_object_new_string(msg);

	if (o == NULL || s == NULL || json_object_object_add(o, "error", s)) {
		json_object_put(s);
		json_object_put(o);
		return status;
	}
	buf_puts(&r->resp.body, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return status;
}

/* Writes {"error": msg, "timeout": true} and returns 503. */
static int api_timeout(struct req *r, const char *msg)
{
	struct json_object *o = json_object_new_object();
	struct json_object *s = json_object_new_string(msg);
	struct json_object *t = json_object_new_boolean(1);

	if (o == NULL || s == NULL || t == NULL ||
	    json_object_object_add(o, "error", s)) {
		json_object_put(s);
		json_object_put(t);
		json_object_put(o);
		return 503;
	}
	if (json_object_object_add(o, "timeout", t)) {
		json_object_put(t);
		json_object_put(o);
		return 503;
	}
	buf_puts(&r->resp.body, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return 503;
}

/*
 * GET /api/v1/events/{slug}/summary[?<profile item>=<value>...]
 * 200 the summary JSON; 400 a filter key that is not a profile item (or
 * repeated); 404 no such event; 503 database unreachable; 500.
 */
int page_api_summary(struct req *r)
{
	struct event_info ev;
	struct summary_filters f;
	struct summary *sum = NULL;
	struct json_object *out;
	const char *why = NULL;
	char msg[160];
	int status;

	r->resp.content_type = "application/json";
	status = event_lookup(&app.adb, r->slug, &ev);
	if (status == 404)
		return api_error(r, 404, "no such event");
	if (status != 0)
		return status;
	if (summary_filters_parse(ev.def, keys_family(r, KFAM_FILTERS), &f,
		&why) != 0)
		return api_error(r, 400, why);
	switch (summary_build(&app.adb, ev.def, ev.id, r->slug, &f, &sum)) {
	case SUMMARY_OK:
		break;
	case SUMMARY_DOWN:
		return 503;
	case SUMMARY_TIMEOUT:
		/* combined filters over a large event: cut short rather than
		 * left to nginx's 504 */
		return api_timeout(r, summary_timeout_text(msg, sizeof(msg)));
	default:
		return 500;
	}
	out = summary_to_json(sum);
	summary_free(sum);
	if (out == NULL)
		return 500;
	buf_puts(&r->resp.body, json_object_to_json_string_ext(out,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(out);
	return r->resp.body.oom ? 500 : 200;
}
