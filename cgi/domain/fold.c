/* fold.c: see fold.h. A batch, in its transaction:
 *   1. stats_fold_take: the event and its participants (their change rows
 *      deleted);
 *   2. per chunk of CHUNK participants: their tuples as folded
 *      (stats_fold_old, which deletes their stats_contrib rows) and now
 *      (stats_fold_cur, which records them as folded), their segments now
 *      and as folded (stats_fold_members); then per participant, as
 *      stats_fold_apply does:
 *        - the event's totals get every difference (the tuples now, minus
 *          the tuples as folded);
 *        - a participant whose segments changed ("moved") takes the
 *          folded tuples out of the folded segments and puts the current
 *          ones into the current segments;
 *        - the others add their net difference (per key, now minus
 *          folded; keys with no difference left out) to their segments;
 *   3. stats_fold_write: the sums (keys whose sums are all 0 left out),
 *      the moved participants' segments, the comment groups, the
 *      counters.
 * Strings (the tuples' and segments' text) are interned once per batch;
 * keys, segments and participants are numbered (struct wmap), so that the
 * sums are kept in arrays and small hash tables of integers. */
#include "fold.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_fold.h"

#define CHUNK 1000 /* participants read at once: bounds the rows held */

/* ---- numbering: a key of w 32-bit words -> 0, 1, 2, ... ---------------- */

struct wmap {
	int w;		 /* words per key */
	uint32_t *keys;	 /* n keys of w words, in the order numbered */
	size_t n, kcap;	 /* keys numbered, room for */
	uint32_t *slots; /* open addressing: number + 1, 0 empty */
	size_t cap;	 /* power of two, > 2 n */
};

static uint64_t hash_bytes(const void *p, size_t len)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ s[i]) * 1099511628211ULL;
	return h ^ (h >> 29);
}

static void wmap_free(struct wmap *m)
{
	free(m->keys);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

/* A new slot table of cap slots (a power of two) for n numbered entries,
 * entry id hashing to hash(owner, id): in *slots, freeing the old. */
static int rehash(uint32_t **slots, size_t *cap, size_t n,
		  uint64_t (*hash)(const void *owner, size_t id),
		  const void *owner)
{
	size_t ncap = *cap ? *cap * 2 : 1024;
	uint32_t *v = calloc(ncap, sizeof(*v));

	if (v == NULL)
		return -1;
	for (size_t id = 0; id < n; id++) {
		size_t i = hash(owner, id) & (ncap - 1);

		while (v[i])
			i = (i + 1) & (ncap - 1);
		v[i] = (uint32_t)id + 1;
	}
	free(*slots);
	*slots = v;
	*cap = ncap;
	return 0;
}

static uint64_t wmap_hash(const void *owner, size_t id)
{
	const struct wmap *m = owner;

	return hash_bytes(m->keys + id * m->w, (size_t)m->w * 4);
}

/* The slot of key k: its number + 1, or 0 where it would go. The table
 * has slots (cap > 0). */
static size_t wmap_slot(const struct wmap *m, const uint32_t *k)
{
	size_t i = hash_bytes(k, (size_t)m->w * 4) & (m->cap - 1);

	for (; m->slots[i]; i = (i + 1) & (m->cap - 1))
		if (memcmp(m->keys + (size_t)(m->slots[i] - 1) * m->w, k,
			   (size_t)m->w * 4) == 0)
			break;
	return i;
}

/* The number of key k, -1 when it has none. */
static long wmap_find(const struct wmap *m, const uint32_t *k)
{
	size_t i;

	if (m->cap == 0)
		return -1;
	i = wmap_slot(m, k);
	return m->slots[i] ? (long)m->slots[i] - 1 : -1;
}

/* The number of key k (w words), numbering it when new; -1 out of
 * memory. */
static long wmap_id(struct wmap *m, const uint32_t *k)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap &&
	    rehash(&m->slots, &m->cap, m->n, wmap_hash, m) != 0)
		return -1;
	i = wmap_slot(m, k);
	if (m->slots[i])
		return m->slots[i] - 1;
	if (m->n == m->kcap) {
		size_t kcap = m->kcap ? m->kcap * 2 : 1024;
		uint32_t *keys = realloc(m->keys, kcap * m->w * 4);

		if (keys == NULL)
			return -1;
		m->keys = keys;
		m->kcap = kcap;
	}
	memcpy(m->keys + m->n * m->w, k, (size_t)m->w * 4);
	m->slots[i] = (uint32_t)m->n + 1;
	return (long)m->n++;
}

/* ---- interned strings ---------------------------------------------------- */

struct strs {
	char **s; /* owned copies, by number */
	size_t n, scap;
	uint32_t *slots; /* number + 1, 0 empty */
	size_t cap;
};

static void strs_free(struct strs *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->s[i]);
	free(t->s);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

static uint64_t strs_hash(const void *owner, size_t id)
{
	const struct strs *t = owner;

	return hash_bytes(t->s[id], strlen(t->s[id]));
}

/* The number of string s (copied when new); -1 out of memory. */
static long strs_id(struct strs *t, const char *s)
{
	size_t len = strlen(s), i;

	if ((t->n + 1) * 2 > t->cap &&
	    rehash(&t->slots, &t->cap, t->n, strs_hash, t) != 0)
		return -1;
	i = hash_bytes(s, len) & (t->cap - 1);
	for (; t->slots[i]; i = (i + 1) & (t->cap - 1))
		if (strcmp(t->s[t->slots[i] - 1], s) == 0)
			return t->slots[i] - 1;
	if (t->n == t->scap) {
		size_t scap = t->scap ? t->scap * 2 : 1024;
		char **v = realloc(t->s, scap * sizeof(*v));

		if (v == NULL)
			return -1;
		t->s = v;
		t->scap = scap;
	}
	if ((t->s[t->n] = strdup(s)) == NULL)
		return -1;
	t->slots[i] = (uint32_t)t->n + 1;
	return (long)t->n++;
}

/* ---- the batch ----------------------------------------------------------- */

struct sums {
	long long n;
	double s1, s2;
};

/* A tuple of the chunk: participant (index in the batch), key, now or as
 * folded (cur), its values (negated when folded: a difference). */
struct tup {
	uint32_t p, key;
	int cur;
	struct sums v;
};

struct mem {
	uint32_t p, seg;
	int cur;
};

struct work {
	struct strs str;
	struct wmap part;   /* participant id (2 words) -> batch index */
	struct wmap key;    /* (kind, instrument, item, value, rank) */
	struct wmap seg;    /* (fkey, fvalue) */
	struct wmap segkey; /* (segment, key) -> index in segsum */
	struct sums *total; /* by key */
	size_t ntotal;
	struct sums *segsum; /* by segkey */
	size_t nsegsum;
	struct tup *t; /* the chunk's tuples */
	size_t nt, tcap;
	struct mem *m; /* the chunk's segments */
	size_t nm, mcap;
	long long *moved; /* participants whose segments changed */
	size_t nmoved, movedcap;
	struct fold_member *mm; /* their segments now */
	size_t nmm, mmcap;
	int oom;
};

static void work_free(struct work *w)
{
	strs_free(&w->str);
	wmap_free(&w->part);
	wmap_free(&w->key);
	wmap_free(&w->seg);
	wmap_free(&w->segkey);
	free(w->total);
	free(w->segsum);
	free(w->t);
	free(w->m);
	free(w->moved);
	free(w->mm);
}

/* Room for one more element in *v (n used, *cap allocated, size each). */
static int more(void **v, size_t n, size_t *cap, size_t size)
{
	void *nv;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 4096;
	if ((nv = realloc(*v, ncap * size)) == NULL)
		return -1;
	*v = nv;
	*cap = ncap;
	return 0;
}

/* The batch index of participant id; -1 when it is not in the batch. */
static long part_of(const struct work *w, long long id)
{
	uint32_t k[2] = {(uint32_t)((unsigned long long)id >> 32),
			 (uint32_t)id};

	return wmap_find(&w->part, k);
}

/* Room for index i in the sums *v (*n of them, zeroed as they are
 * added). 0, or -1 out of memory. */
static int sums_room(struct sums **v, size_t *n, size_t i)
{
	size_t nn = *n ? *n * 2 : 256;
	struct sums *nv;

	if (i < *n)
		return 0;
	while (nn <= i)
		nn *= 2;
	if ((nv = realloc(*v, nn * sizeof(*nv))) == NULL)
		return -1;
	memset(nv + *n, 0, (nn - *n) * sizeof(*nv));
	*v = nv;
	*n = nn;
	return 0;
}

static int tuple_row(void *ctx, const struct fold_tuple *t)
{
	struct work *w = ctx;
	long p = part_of(w, t->participant_id), s[4], key;
	uint32_t k[5];

	if (p < 0) {
		fprintf(stderr,
			"fold: a tuple of participant %lld, not in "
			"the batch\n",
			t->participant_id);
		return -1;
	}
	if ((s[0] = strs_id(&w->str, t->kind)) < 0 ||
	    (s[1] = strs_id(&w->str, t->instrument)) < 0 ||
	    (s[2] = strs_id(&w->str, t->item)) < 0 ||
	    (s[3] = strs_id(&w->str, t->value)) < 0)
		goto oom;
	for (int i = 0; i < 4; i++)
		k[i] = (uint32_t)s[i];
	k[4] = (uint32_t)t->rank;
	if ((key = wmap_id(&w->key, k)) < 0)
		goto oom;
	if (sums_room(&w->total, &w->ntotal, (size_t)key) != 0)
		goto oom;
	if (more((void **)&w->t, w->nt, &w->tcap, sizeof(*w->t)) != 0)
		goto oom;
	w->t[w->nt++] =
	    (struct tup){(uint32_t)p, (uint32_t)key, 0, {t->n, t->s1, t->s2}};
	return 0;
oom:
	w->oom = 1;
	return -1;
}

/* Marks the tuples read from index from on: current ones (cur 1, from
 * stats_fold_cur), or as folded (cur 0, from stats_fold_old: negated,
 * what leaves the sums). */
static void tuples_mark(struct work *w, size_t from, int cur)
{
	for (size_t i = from; i < w->nt; i++) {
		w->t[i].cur = cur;
		if (!cur) {
			w->t[i].v.n = -w->t[i].v.n;
			w->t[i].v.s1 = -w->t[i].v.s1;
			w->t[i].v.s2 = -w->t[i].v.s2;
		}
	}
}

static int member_row(void *ctx, const struct fold_member *m)
{
	struct work *w = ctx;
	long p = part_of(w, m->participant_id), a, b, seg;
	uint32_t k[2];

	if (p < 0) {
		fprintf(stderr,
			"fold: a segment of participant %lld, not in "
			"the batch\n",
			m->participant_id);
		return -1;
	}
	if ((a = strs_id(&w->str, m->fkey)) < 0 ||
	    (b = strs_id(&w->str, m->fvalue)) < 0)
		goto oom;
	k[0] = (uint32_t)a;
	k[1] = (uint32_t)b;
	if ((seg = wmap_id(&w->seg, k)) < 0 ||
	    more((void **)&w->m, w->nm, &w->mcap, sizeof(*w->m)) != 0)
		goto oom;
	w->m[w->nm++] = (struct mem){(uint32_t)p, (uint32_t)seg, m->cur};
	return 0;
oom:
	w->oom = 1;
	return -1;
}

static int tup_cmp(const void *a, const void *b)
{
	const struct tup *x = a, *y = b;

	if (x->p != y->p)
		return x->p < y->p ? -1 : 1;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->cur - y->cur;
}

static int mem_cmp(const void *a, const void *b)
{
	const struct mem *x = a, *y = b;

	if (x->p != y->p)
		return x->p < y->p ? -1 : 1;
	if (x->cur != y->cur)
		return y->cur - x->cur; /* current ones first */
	if (x->seg != y->seg)
		return x->seg < y->seg ? -1 : 1;
	return 0;
}

static void add(struct sums *s, const struct sums *v)
{
	s->n += v->n;
	s->s1 += v->s1;
	s->s2 += v->s2;
}

static int nonzero(const struct sums *s)
{
	return s->n != 0 || s->s1 != 0 || s->s2 != 0;
}

/* Adds v to segment seg's sums of key. */
static int seg_add(struct work *w, uint32_t seg, uint32_t key,
		   const struct sums *v)
{
	uint32_t k[2] = {seg, key};
	long i = wmap_id(&w->segkey, k);

	if (i < 0 || sums_room(&w->segsum, &w->nsegsum, (size_t)i) != 0)
		return -1;
	add(&w->segsum[i], v);
	return 0;
}

/* The segments of the chunk's participant p: m[*mi..) sorted, current
 * ones first; cur and old point into m, with their counts. */
struct pseg {
	const struct mem *cur, *old;
	size_t ncur, nold;
};

static struct pseg segs_of(const struct work *w, size_t *mi, uint32_t p)
{
	struct pseg s = {0};

	while (*mi < w->nm && w->m[*mi].p < p)
		(*mi)++;
	s.cur = w->m + *mi;
	while (*mi < w->nm && w->m[*mi].p == p && w->m[*mi].cur) {
		(*mi)++;
		s.ncur++;
	}
	s.old = w->m + *mi;
	while (*mi < w->nm && w->m[*mi].p == p) {
		(*mi)++;
		s.nold++;
	}
	return s;
}

static int same_segs(const struct pseg *s)
{
	if (s->ncur != s->nold)
		return 0;
	for (size_t i = 0; i < s->ncur; i++)
		if (s->cur[i].seg != s->old[i].seg)
			return 0;
	return 1;
}

/* The participant of batch index p: its id (the key numbered p). */
static long long part_id(const struct work *w, uint32_t p)
{
	const uint32_t *k = w->part.keys + (size_t)p * 2;

	return (long long)(((unsigned long long)k[0] << 32) | k[1]);
}

/* Sums the chunk's rows (read into w->t and w->m). 0, or -1 out of
 * memory. */
static int chunk_sum(struct work *w)
{
	size_t ti = 0, mi = 0;

	qsort(w->t, w->nt, sizeof(*w->t), tup_cmp);
	qsort(w->m, w->nm, sizeof(*w->m), mem_cmp);
	/* duplicates out (a segment is one per participant and side) */
	if (w->nm > 1) {
		size_t o = 1;

		for (size_t i = 1; i < w->nm; i++)
			if (mem_cmp(&w->m[i], &w->m[o - 1]) != 0)
				w->m[o++] = w->m[i];
		w->nm = o;
	}
	while (ti < w->nt || mi < w->nm) {
		uint32_t p = ti < w->nt ? w->t[ti].p : w->m[mi].p;
		size_t tend = ti;
		struct pseg s;
		int moved;

		if (mi < w->nm && w->m[mi].p < p)
			p = w->m[mi].p;
		while (tend < w->nt && w->t[tend].p == p)
			tend++;
		s = segs_of(w, &mi, p);
		moved = !same_segs(&s);
		for (size_t i = ti; i < tend; i++)
			add(&w->total[w->t[i].key], &w->t[i].v);
		if (moved) {
			/* the folded tuples leave the folded segments, the
			 * current ones join the current segments */
			for (size_t i = ti; i < tend; i++) {
				const struct mem *m =
				    w->t[i].cur ? s.cur : s.old;
				size_t nm = w->t[i].cur ? s.ncur : s.nold;

				for (size_t j = 0; j < nm; j++)
					if (seg_add(w, m[j].seg, w->t[i].key,
						    &w->t[i].v) != 0)
						return -1;
			}
			if (more((void **)&w->moved, w->nmoved, &w->movedcap,
				 sizeof(*w->moved)) != 0)
				return -1;
			w->moved[w->nmoved++] = part_id(w, p);
			for (size_t j = 0; j < s.ncur; j++) {
				const uint32_t *k =
				    w->seg.keys + (size_t)s.cur[j].seg * 2;

				if (more((void **)&w->mm, w->nmm, &w->mmcap,
					 sizeof(*w->mm)) != 0)
					return -1;
				w->mm[w->nmm++] = (struct fold_member){
				    part_id(w, p), 1, w->str.s[k[0]],
				    w->str.s[k[1]]};
			}
		} else if (s.ncur > 0) {
			/* the same segments: the net difference per key */
			for (size_t i = ti; i < tend;) {
				struct sums net = {0, 0, 0};
				uint32_t key = w->t[i].key;

				for (; i < tend && w->t[i].key == key; i++)
					add(&net, &w->t[i].v);
				if (!nonzero(&net))
					continue;
				for (size_t j = 0; j < s.ncur; j++)
					if (seg_add(w, s.cur[j].seg, key,
						    &net) != 0)
						return -1;
			}
		}
		ti = tend;
	}
	return 0;
}

/* The sums to write: the totals, then the segments'; all-zero left out. */
static struct fold_sum *sums_out(struct work *w, size_t *n)
{
	struct fold_sum *out;
	size_t o = 0;

	out = malloc((w->key.n + w->segkey.n + 1) * sizeof(*out));
	if (out == NULL)
		return NULL;
	for (size_t key = 0; key < w->key.n; key++) {
		const uint32_t *k = w->key.keys + key * 5;

		if (!nonzero(&w->total[key]))
			continue;
		out[o++] = (struct fold_sum){NULL,
					     NULL,
					     w->str.s[k[0]],
					     w->str.s[k[1]],
					     w->str.s[k[2]],
					     w->str.s[k[3]],
					     (int)k[4],
					     w->total[key].n,
					     w->total[key].s1,
					     w->total[key].s2};
	}
	for (size_t i = 0; i < w->segkey.n; i++) {
		const uint32_t *sk = w->segkey.keys + i * 2;
		const uint32_t *sg = w->seg.keys + (size_t)sk[0] * 2;
		const uint32_t *k = w->key.keys + (size_t)sk[1] * 5;

		if (!nonzero(&w->segsum[i]))
			continue;
		out[o++] = (struct fold_sum){w->str.s[sg[0]], w->str.s[sg[1]],
					     w->str.s[k[0]],  w->str.s[k[1]],
					     w->str.s[k[2]],  w->str.s[k[3]],
					     (int)k[4],	      w->segsum[i].n,
					     w->segsum[i].s1, w->segsum[i].s2};
	}
	*n = o;
	return out;
}

/* Steps 2 and 3 for the participants ids[0..n) of event ev: the event's
 * change rows left, or -1. */
static long long fold_apply(struct db *db, long ev, const long long *ids,
			    size_t n)
{
	struct work w = {0};
	struct fold_sum *sums = NULL;
	struct fold_writes out;
	long long left = -1;

	w.part.w = 2;
	w.key.w = 5;
	w.seg.w = 2;
	w.segkey.w = 2;
	for (size_t i = 0; i < n; i++) {
		uint32_t k[2] = {(uint32_t)((unsigned long long)ids[i] >> 32),
				 (uint32_t)ids[i]};

		if (wmap_id(&w.part, k) < 0)
			goto oom;
	}
	for (size_t at = 0; at < n; at += CHUNK) {
		size_t len = n - at < CHUNK ? n - at : CHUNK;

		w.nt = w.nm = 0;
		if (store_fold_tuples(db, 0, ids + at, len, tuple_row, &w) != 0)
			goto fail;
		tuples_mark(&w, 0, 0);
		{
			size_t from = w.nt;

			if (store_fold_tuples(db, 1, ids + at, len, tuple_row,
					      &w) != 0)
				goto fail;
			tuples_mark(&w, from, 1);
		}
		if (store_fold_members(db, ids + at, len, member_row, &w) != 0)
			goto fail;
		if (chunk_sum(&w) != 0)
			goto oom;
	}
	if ((sums = sums_out(&w, &out.nsums)) == NULL)
		goto oom;
	out.sums = sums;
	out.moved = w.moved;
	out.nmoved = w.nmoved;
	out.members = w.mm;
	out.nmembers = w.nmm;
	left = store_fold_write(db, ev, ids, n, &out);
	free(sums);
	work_free(&w);
	return left;
oom:
	w.oom = 1;
fail:
	if (w.oom)
		fprintf(stderr, "fold: out of memory\n");
	work_free(&w);
	return -1;
}

int fold_batch(struct db *db, long limit, struct fold_batch *out)
{
	long long *ids = NULL, left = 0;
	size_t n = 0;
	long ev;
	int rc;

	out->event_id = 0;
	out->participants = 0;
	out->remaining = 0;
	if (limit < 1 || limit > 100000)
		return -1;
	if (store_fold_begin(db) != 0)
		return -1;
	rc = store_fold_take(db, limit, &ev, &ids, &n);
	if (rc == 1 && ids != NULL)
		left = fold_apply(db, ev, ids, n);
	free(ids);
	if (rc < 0 || left < 0) {
		store_fold_end(db, 0);
		return -1;
	}
	if (store_fold_end(db, 1) != 0)
		return -1;
	if (rc == 1) {
		out->event_id = ev;
		out->participants = (long)n;
		out->remaining = left;
	}
	return rc;
}
