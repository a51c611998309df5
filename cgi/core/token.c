/* token.c: codes, signed form tokens, session tokens (see token.h). */
#include "token.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int token_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void code_generate(char out[CODE_LEN + 1])
{
	for (int i = 0; i < CODE_LEN; i++)
		out[i] = crockford[randombytes_uniform(32)];
	out[CODE_LEN] = '\0';
}

int code_normalize(const char *s, size_t len, char out[CODE_LEN + 1])
{
	size_t o = 0;

	if (len > 64)
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == ' ' || c == '-' || c == '\t' || c == '.' || c == '_')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		if (c == '\0' || strchr(crockford, c) == NULL || o == CODE_LEN)
			return -1;
		out[o++] = c;
	}
	if (o != CODE_LEN)
		return -1;
	out[o] = '\0';
	return 0;
}

void code_format(const char *code, char out[CODE_LEN + 2])
{
	memcpy(out, code, 4);
	out[4] = '-';
	memcpy(out + 5, code + 4, 4);
	out[9] = '\0';
}

/* The MAC of a participant cookie: 16 bytes of HMAC-SHA256(key,
 * "code" || event id || code), in hex. */
static void code_cookie_mac(const unsigned char key[TOKEN_KEY_LEN],
    const char *label, long event_id, const char *code, char hex[33])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES], head[8];
	uint64_t ev = (uint64_t)event_id;

	for (int i = 0; i < 8; i++)
		head[i] = (unsigned char)(ev >> (56 - 8 * i));
	crypto_auth_hmacsha256_init(&st, key, TOKEN_KEY_LEN);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)label,
	    strlen(label) + 1);
	crypto_auth_hmacsha256_update(&st, head, sizeof(head));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)code,
	    CODE_LEN);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(hex, 33, mac, 16);
}

void code_cookie_make(const unsigned char key[TOKEN_KEY_LEN], long event_id,
    const char *code, char out[CODE_COOKIE_MAX + 1])
{
	memcpy(out, code, CODE_LEN);
	out[CODE_LEN] = '.';
	code_cookie_mac(key, "code", event_id, code, out + CODE_LEN + 1);
}

/* The cookie's check under label ("code", or "link:" + a purpose). */
static int signed_code_check(const unsigned char key[TOKEN_KEY_LEN],
    const char *label, long event_id, const char *value,
    char out[CODE_LEN + 1])
{
	char mac[33];

	if (value == NULL || strnlen(value, CODE_COOKIE_MAX + 1) !=
		CODE_COOKIE_MAX || value[CODE_LEN] != '.')
		return -1;
	for (int i = 0; i < CODE_LEN; i++)
		if (value[i] == '\0' || strchr(crockford, value[i]) == NULL)
			return -1;
	memcpy(out, value, CODE_LEN);
	out[CODE_LEN] = '\0';
	code_cookie_mac(key, label, event_id, out, mac);
	if (sodium_memcmp(mac, value + CODE_LEN + 1, 32) != 0) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

int code_cookie_check(const unsigned char key[TOKEN_KEY_LEN], long event_id,
    const char *value, char out[CODE_LEN + 1])
{
	return signed_code_check(key, "code", event_id, value, out);
}

/* "link:" + purpose, cut to fit label (purposes are short literals). */
static void link_label(const char *purpose, char label[32])
{
	snprintf(label, 32, "link:%s", purpose);
}

void link_key_make(const unsigned char key[TOKEN_KEY_LEN],
    const char *purpose, long event_id, const char *code,
    char out[LINK_KEY_MAX + 1])
{
	char label[32];

	link_label(purpose, label);
	memcpy(out, code, CODE_LEN);
	out[CODE_LEN] = '.';
	code_cookie_mac(key, label, event_id, code, out + CODE_LEN + 1);
}

int link_key_check(const unsigned char key[TOKEN_KEY_LEN],
    const char *purpose, long event_id, const char *value,
    char out[CODE_LEN + 1])
{
	char label[32];

	link_label(purpose, label);
	return signed_code_check(key, label, event_id, value, out);
}

#define NONCE_LEN 16
#define RAW_LEN (NONCE_LEN + 8 + crypto_auth_hmacsha256_BYTES)

static void form_mac(const unsigned char key[TOKEN_KEY_LEN], long event_id,
    int instrument, const unsigned char *nonce_expiry, unsigned char *mac)
{
	crypto_auth_hmacsha256_state st;
	unsigned char head[9];
	uint64_t ev = (uint64_t)event_id;

	for (int i = 0; i < 8; i++)
		head[i] = (unsigned char)(ev >> (56 - 8 * i));
	head[8] = (unsigned char)instrument;
	crypto_auth_hmacsha256_init(&st, key, TOKEN_KEY_LEN);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)"form", 5);
	crypto_auth_hmacsha256_update(&st, head, sizeof(head));
	crypto_auth_hmacsha256_update(&st, nonce_expiry, NONCE_LEN + 8);
	crypto_auth_hmacsha256_final(&st, mac);
}

int form_token_issue(const unsigned char key[TOKEN_KEY_LEN], long event_id,
    int instrument, time_t now, char *out, size_t outlen)
{
	unsigned char raw[RAW_LEN];
	uint64_t exp = (uint64_t)now + FORM_TOKEN_TTL;

	if (outlen < sodium_base64_ENCODED_LEN(RAW_LEN,
			 sodium_base64_VARIANT_URLSAFE_NO_PADDING))
		return -1;
	randombytes_buf(raw, NONCE_LEN);
	for (int i = 0; i < 8; i++)
		raw[NONCE_LEN + i] = (unsigned char)(exp >> (56 - 8 * i));
	form_mac(key, event_id, instrument, raw, raw + NONCE_LEN + 8);
	sodium_bin2base64(out, outlen, raw, RAW_LEN,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return 0;
}

int form_token_check(const unsigned char key[TOKEN_KEY_LEN], long event_id,
    int instrument, time_t now, const char *tok, unsigned char hash[32])
{
	unsigned char raw[RAW_LEN], mac[crypto_auth_hmacsha256_BYTES];
	size_t rawlen = 0, toklen;
	uint64_t exp = 0;

	if (tok == NULL)
		return -1;
	toklen = strnlen(tok, FORM_TOKEN_MAX + 1);
	if (toklen > FORM_TOKEN_MAX ||
	    sodium_base642bin(raw, sizeof(raw), tok, toklen, NULL, &rawlen,
		NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    rawlen != RAW_LEN)
		return -1;
	form_mac(key, event_id, instrument, raw, mac);
	if (sodium_memcmp(mac, raw + NONCE_LEN + 8, sizeof(mac)) != 0)
		return -1;
	for (int i = 0; i < 8; i++)
		exp = (exp << 8) | raw[NONCE_LEN + i];
	if ((uint64_t)now > exp)
		return -1;
	crypto_hash_sha256(hash, (const unsigned char *)tok, toklen);
	return 0;
}

void token_random(char out[SESSION_TOKEN_LEN + 1])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, SESSION_TOKEN_LEN + 1, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

void token_hash_hex(const char *s, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
	sodium_bin2hex(out, 65, h, sizeof(h));
}

void token_mac_hex(const unsigned char key[TOKEN_KEY_LEN], const char *label,
    const char *msg, char out[65])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256_init(&st, key, TOKEN_KEY_LEN);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)label,
	    strlen(label) + 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg,
	    strlen(msg));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, 65, mac, sizeof(mac));
}

int token_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la != lb)
		return 0;
	return sodium_memcmp(a, b, la) == 0;
}
