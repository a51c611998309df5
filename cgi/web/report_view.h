/* report_view.h: the donor's report model (report.h) as template data, the
 * one object both templates/report.mustache (the printable page) and
 * templates/docx/ (the Word document, page_report.c) render: the cover,
 * the executive summary, the method, participants, results per objective,
 * comments, limitations, codebook, and every chart as {name, title, svg}.
 * No database and no request here: unit-tested with the model. */
#ifndef ENQUETE_REPORT_VIEW_H
#define ENQUETE_REPORT_VIEW_H

#include <json-c/json.h>

#include "dash_view.h"
#include "report.h"

/* Adds the report's sections to data (which already holds the dashboard's
 * figures, dash_view_figures()). Returns 0, or -1 when out of memory. */
int report_view(const struct dash_view *v, const struct report *rep,
    struct json_object *data);

/* The key figures (participants, pairs, response rate, change in
 * knowledge, quiz gain, NPS) under data["keyfigs"]: the dashboard's head
 * and the executive summary. 0 / -1. */
int report_view_keyfigs(const struct dash_view *v, const struct report *rep,
    struct json_object *data);

/* The participants' profile (every profile and descriptive item as bars
 * and a table) under data["participants"]: the report and the dashboard.
 * 0 / -1. */
int report_view_participants(const struct dash_view *v,
    const struct report *rep, struct json_object *data);

/* Every chart of data, depth first, as {name, title, svg} objects (the
 * "chart" members report_view() and dash_view add), under data["charts"]
 * with an href each (prefix + name + ".svg"). 0 / -1. */
int report_view_chart_list(struct json_object *data, const char *prefix);

/* The chart called name in data (after report_view_chart_list()), or
 * NULL. Borrowed from data. */
struct json_object *report_view_chart(struct json_object *data,
    const char *name);

#endif
