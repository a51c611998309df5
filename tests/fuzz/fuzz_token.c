/* fuzz_token.c: libFuzzer target for what attendees type or post back:
 * the participant-code normaliser, the form-token checker and the
 * participant-cookie checker (cgi/core/token.c). */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static const unsigned char key[TOKEN_KEY_LEN] = "fuzz-fuzz-fuzz-fuzz-fuzz-fuzz-!";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (token_init() != 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char code[CODE_LEN + 1], again[CODE_LEN + 1], shown[CODE_LEN + 2];
	char *s, tok[FORM_TOKEN_MAX];
	unsigned char hash[32];

	/* The code normaliser reads exactly size bytes. */
	if ((s = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	if (code_normalize(s, size, code) == 0) {
		assert(strlen(code) == CODE_LEN);
		/* Canonical codes are a fixed point, also once formatted. */
		assert(code_normalize(code, CODE_LEN, again) == 0);
		assert(memcmp(code, again, CODE_LEN + 1) == 0);
		code_format(code, shown);
		assert(code_normalize(shown, strlen(shown), again) == 0);
		assert(memcmp(code, again, CODE_LEN + 1) == 0);
	}
	free(s);

	/* A posted form token is a C string; forging one must fail. */
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	assert(form_token_check(key, 1, 0, 1500000000, s, hash) != 0);
	free(s);

	/* A real token checks; the same token with the input appended does
	 * not. */
	if (form_token_issue(key, 7, 1, 1500000000, tok, sizeof(tok)) != 0)
		abort();
	assert(form_token_check(key, 7, 1, 1500000000, tok, hash) == 0);
	assert(form_token_check(key, 7, 0, 1500000000, tok, hash) != 0);
	if (size) {
		size_t tl = strlen(tok);
		if ((s = malloc(tl + size + 1)) == NULL)
			return 0;
		memcpy(s, tok, tl);
		memcpy(s + tl, data, size);
		s[tl + size] = '\0';
		if (strcmp(s, tok) != 0)
			assert(form_token_check(key, 7, 1, 1500000000, s,
			    hash) != 0);
		free(s);
	}

	/* A participant cookie from the input never checks: forging one
	 * needs the key. */
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	assert(code_cookie_check(key, 1, s, code) != 0);
	free(s);
	return 0;
}
