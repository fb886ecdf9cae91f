/* csvread.c — libcsv driven one physical line at a time. */
#include "lib/csvread.h"

#include <csv.h>
#include <string.h>

#include "lib/strbuf.h"
#include "lib/banned.h"

struct state {
	const char *name;
	size_t max_line;
	csvread_row_fn row;
	void *ctx;
	struct cd_err *err;
	enum cd_code rc;       /* first failure; stops everything after it */
	long lineno;           /* physical line being fed */
	long rec_line;         /* line the current record started on */
	int in_record;
	size_t rec_bytes;
	struct strbuf fields;  /* field bytes, each NUL-terminated */
	size_t offs[CSVREAD_MAX_FIELDS];
	size_t nfields;
	struct strbuf line;    /* the physical line being assembled */
	int at_start;          /* nothing read yet: a BOM may come */
};

static void on_field(void *data, size_t len, void *vst)
{
	struct state *st = vst;
	if (st->rc)
		return;
	if (st->nfields == CSVREAD_MAX_FIELDS) {
		st->rc = cd_err_set(st->err, CD_EINVAL,
				    "%s:%ld: more than %d fields", st->name,
				    st->rec_line, CSVREAD_MAX_FIELDS);
		return;
	}
	st->offs[st->nfields++] = st->fields.len;
	strbuf_add(&st->fields, data ? data : "", data ? len : 0);
	strbuf_addch(&st->fields, '\0');
}

static void on_record(int c, void *vst)
{
	struct state *st = vst;
	(void)c;
	st->in_record = 0;
	if (!st->rc) {
		char *ptrs[CSVREAD_MAX_FIELDS];
		for (size_t i = 0; i < st->nfields; i++)
			ptrs[i] = st->fields.buf + st->offs[i];
		st->rc = st->row(st->ctx, st->rec_line, ptrs, st->nfields);
	}
	st->nfields = 0;
	strbuf_reset(&st->fields);
}

static int blank(const char *s, size_t n)
{
	return (n == 1 && s[0] == '\n') ||
	       (n == 2 && s[0] == '\r' && s[1] == '\n') ||
	       (n == 1 && s[0] == '\r');
}

/* Feed one complete physical line (with its terminator, if any). */
static void feed_line(struct state *st, struct csv_parser *p,
		      const char *s, size_t n)
{
	st->lineno++;
	if (st->rc)
		return;
	if (memchr(s, '\0', n)) {
		st->rc = cd_err_set(st->err, CD_EINVAL,
				    "%s:%ld: NUL byte in a text file",
				    st->name, st->lineno);
		return;
	}
	if (!st->in_record) {
		if (blank(s, n))
			return;
		st->rec_line = st->lineno;
		st->in_record = 1;
		st->rec_bytes = 0;
	}
	st->rec_bytes += n;
	if (st->rec_bytes > st->max_line) {
		st->rc = cd_err_set(st->err, CD_ETOOBIG,
				    "%s:%ld: record starting on line %ld is "
				    "longer than %zu bytes (an unclosed quote?)",
				    st->name, st->lineno, st->rec_line,
				    st->max_line);
		return;
	}
	if (csv_parse(p, s, n, on_field, on_record, st) != n && !st->rc)
		st->rc = cd_err_set(st->err, CD_EINVAL,
				    "%s:%ld: malformed quoting (a quote inside "
				    "an unquoted field, or text after a "
				    "closing quote)", st->name, st->lineno);
}

/* Split a chunk into physical lines; the tail waits in st->line. */
static void feed_chunk(struct state *st, struct csv_parser *p,
		       const char *s, size_t n)
{
	if (st->at_start && st->line.len == 0) {
		if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
			s += 3, n -= 3;
		st->at_start = 0;
	}
	while (n && !st->rc) {
		const char *nl = memchr(s, '\n', n);
		size_t take = nl ? (size_t)(nl - s) + 1 : n;
		if (st->line.len + take > st->max_line) {
			st->rc = cd_err_set(st->err, CD_ETOOBIG,
					    "%s:%ld: line is longer than %zu "
					    "bytes", st->name,
					    st->lineno + 1, st->max_line);
			return;
		}
		if (nl && st->line.len == 0) {
			feed_line(st, p, s, take);
		} else {
			strbuf_add(&st->line, s, take);
			if (nl) {
				feed_line(st, p, st->line.buf, st->line.len);
				strbuf_reset(&st->line);
			}
		}
		s += take, n -= take;
	}
}

static void state_init(struct state *st, const struct csvread_opts *opts,
		       csvread_row_fn row, void *ctx, struct cd_err *err)
{
	memset(st, 0, sizeof *st);
	st->name = opts && opts->name ? opts->name : "-";
	st->max_line = opts && opts->max_line ? opts->max_line
					      : CSVREAD_MAX_LINE;
	st->row = row;
	st->ctx = ctx;
	st->err = err;
	st->at_start = 1;
	strbuf_init(&st->fields);
	strbuf_init(&st->line);
}

static enum cd_code finish(struct state *st, struct csv_parser *p)
{
	if (!st->rc && st->line.len) {
		feed_line(st, p, st->line.buf, st->line.len);
		strbuf_reset(&st->line);
	}
	if (!st->rc && csv_fini(p, on_field, on_record, st) != 0 && !st->rc)
		st->rc = cd_err_set(st->err, CD_EINVAL,
				    "%s:%ld: quoted field opened on line %ld "
				    "is never closed", st->name, st->lineno,
				    st->rec_line);
	csv_free(p);
	strbuf_release(&st->fields);
	strbuf_release(&st->line);
	return st->rc;
}

static int init_parser(struct csv_parser *p, const struct csvread_opts *o)
{
	if (csv_init(p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL))
		return -1;
	if (o && o->delim)
		csv_set_delim(p, (unsigned char)o->delim);
	return 0;
}

enum cd_code csvread_stream(FILE *in, const struct csvread_opts *opts,
			    csvread_row_fn row, void *ctx, struct cd_err *err)
{
	struct state st;
	struct csv_parser p;
	char chunk[65536];
	if (init_parser(&p, opts))
		return cd_err_set(err, CD_ENOMEM, "cannot start CSV parser");
	state_init(&st, opts, row, ctx, err);
	size_t n;
	while (!st.rc && (n = fread(chunk, 1, sizeof chunk, in)) > 0)
		feed_chunk(&st, &p, chunk, n);
	if (!st.rc && ferror(in))
		st.rc = cd_err_set(err, CD_EIO, "%s: read error", st.name);
	return finish(&st, &p);
}

enum cd_code csvread_buffer(const char *data, size_t len,
			    const struct csvread_opts *opts,
			    csvread_row_fn row, void *ctx, struct cd_err *err)
{
	struct state st;
	struct csv_parser p;
	if (init_parser(&p, opts))
		return cd_err_set(err, CD_ENOMEM, "cannot start CSV parser");
	state_init(&st, opts, row, ctx, err);
	feed_chunk(&st, &p, data, len);
	return finish(&st, &p);
}
