/* qr.h: QR codes (libqrencode) as data for an SVG template: the module
 * count and one path of the dark modules. */
#ifndef ENQUETE_QR_H
#define ENQUETE_QR_H

#include <json-c/json.h>

/* {"size": modules + 8 (quiet zone), "path": "M4 4h3v1h-3z..."} for text
 * at error correction level M. Caller frees with json_object_put(); NULL
 * when text cannot be encoded or memory runs out. */
struct json_object *qr_svg(const char *text);

#endif
