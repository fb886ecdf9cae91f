/* server.c — `cordon serve`: event loops answering the API (dispatch.c)
 * and the dashboard's static files; a graceful stop on SIGTERM or SIGINT.
 *
 * Each loop is a thread driving its own libmicrohttpd daemon (external
 * mode, epoll), with its own database connection; all listen on one port
 * (SO_REUSEPORT) and the kernel spreads the connections among them. A
 * request that keeps rows to append (a checkpoint's pass and the audit
 * rows: store_defer) is held, its reply ready, its connection suspended;
 * when the loop has run every request that was ready, it commits the rows
 * of all it holds in one transaction and resumes them (group commit): one
 * commit for many verifications, and no reply before its rows are
 * durable. Everything else runs as before, one transaction per change.
 *
 * A JSON body is read into memory up to its route's limit; a bulk upload
 * (API_STREAM) is written to a temporary file as it arrives, so a large
 * CSV is never held whole, and the importer reads that file in one
 * transaction. A body over the limit is refused with 413 as soon as its
 * Content-Length says so, or when it grows past the limit. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "api/handlers.h"
#include "lib/banned.h"

#define MAX_THREADS 64
#define DRAIN_SECONDS 10

/* WAL checkpoints, off the loops (store_wal_handoff): a thread of its own
 * copies the WAL back into the database when a commit finds it at
 * WAL_PAGES pages, so no loop stops for that copy and its fsync. */
#define WAL_PAGES 4000
struct checkpointer {
	pthread_mutex_t mu;
	pthread_cond_t wake;
	atomic_bool wanted;
	bool started;
	pthread_t thread;
};

struct server {
	const struct api_serve_opts *o;
	struct checkpointer ckpt;
	struct api_ctx *ctx;
	pthread_mutex_t pool_lock;
	struct store *pool[MAX_THREADS + 2];
	int npool;
	atomic_int inflight;
	atomic_bool stopping;
	char web[PATH_MAX];
};

struct conn_req;

/* One event loop (see the top). held: requests waiting for the loop's
 * commit, in the order their rows were kept; at most one a connection. */
struct loop {
	struct server *s;
	struct MHD_Daemon *d;
	pthread_t thread;
	bool started;
	MHD_socket listen;
	struct conn_req **held;
	size_t nheld, capheld;
};

static __thread struct loop *this_loop;

/* One request on a connection. */
struct conn_req {
	const struct api_route *route;
	char params[4][128];
	int nparams, status;
	bool counted, too_big, failed;
	char *buf;
	size_t len, cap;
	int fd;                     /* API_STREAM spool, -1 none */
	char spool[64];
	size_t spooled;
	/* Held for the loop's commit: the reply, sent when resumed (a 500
	 * instead when the rows could not be committed). */
	bool held;
	struct api_reply rep;
	enum cd_code flushed;
	struct MHD_Connection *c;
};

static __thread struct store *thread_store;

static void checkpoint_wanted(void *arg)
{
	struct checkpointer *k = arg;
	if (atomic_exchange(&k->wanted, true))
		return;
	pthread_mutex_lock(&k->mu);
	pthread_cond_signal(&k->wake);
	pthread_mutex_unlock(&k->mu);
}

static void *checkpoint_main(void *arg)
{
	struct server *s = arg;
	struct checkpointer *k = &s->ckpt;
	struct store *st = NULL;
	struct cd_err err;
	for (;;) {
		pthread_mutex_lock(&k->mu);
		while (!atomic_load(&k->wanted) && !atomic_load(&s->stopping))
			pthread_cond_wait(&k->wake, &k->mu);
		pthread_mutex_unlock(&k->mu);
		if (atomic_load(&s->stopping))
			break;
		atomic_store(&k->wanted, false);
		if (!st && store_open(s->o->db, STORE_WRITE, &st, &err))
			fprintf(stderr, "cordon serve: checkpoints: %s\n",
				err.msg);
		/* Passive first; a WAL still four times the mark after it
		 * is not catching up: then once with a restart. */
		int pages = 0;
		if (st && store_checkpoint(st, false, &pages, &err))
			fprintf(stderr, "cordon serve: %s\n", err.msg);
		else if (st && pages >= 4 * WAL_PAGES &&
			 store_checkpoint(st, true, &pages, &err))
			fprintf(stderr, "cordon serve: %s\n", err.msg);
	}
	store_close(st);
	return NULL;
}

/* This thread's connection, opened on its first request and kept until
 * the server stops. */
static struct store *store_for_thread(struct server *s, struct cd_err *err)
{
	if (thread_store)
		return thread_store;
	pthread_mutex_lock(&s->pool_lock);
	if (s->npool < (int)(sizeof s->pool / sizeof s->pool[0]) &&
	    !store_open(s->o->db, STORE_WRITE, &s->pool[s->npool], err)) {
		thread_store = s->pool[s->npool++];
		store_wal_handoff(thread_store, WAL_PAGES, checkpoint_wanted,
				  &s->ckpt);
	}
	else if (s->npool >= (int)(sizeof s->pool / sizeof s->pool[0]))
		cd_err_set(err, CD_EDB, "too many database connections");
	pthread_mutex_unlock(&s->pool_lock);
	return thread_store;
}

/* ---- request helpers */

static const char *header(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static const char *query_get(void *conn, const char *name)
{
	return MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, name);
}

struct each_ctx {
	int (*fn)(void *arg, const char *name);
	void *arg;
	int stop;
};

static enum MHD_Result each_arg(void *cls, enum MHD_ValueKind kind,
				const char *key, const char *value)
{
	(void)kind;
	(void)value;
	struct each_ctx *e = cls;
	if (e->stop)
		return MHD_NO;
	e->stop = e->fn(e->arg, key);
	return e->stop ? MHD_NO : MHD_YES;
}

static int query_each(void *conn, int (*fn)(void *arg, const char *name),
		      void *arg)
{
	struct each_ctx e = { fn, arg, 0 };
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, each_arg, &e);
	return e.stop;
}

static void client_ip(struct MHD_Connection *c, char *out, size_t len)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, len, "?");
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
			  out, len);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
			  len);
}

/* ---- responses */

static void security_headers(struct MHD_Response *r, bool api)
{
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(
		r, "Content-Security-Policy",
		api ? "default-src 'none'; frame-ancestors 'none'"
		    : "default-src 'self'; script-src 'self'; style-src 'self';"
		      " img-src 'self' data:; connect-src 'self';"
		      " object-src 'none'; base-uri 'none';"
		      " form-action 'self'; frame-ancestors 'none'");
	MHD_add_response_header(r, "Cross-Origin-Opener-Policy",
				"same-origin");
	if (api)
		MHD_add_response_header(r, "Cache-Control", "no-store");
}

static enum MHD_Result send_reply(struct MHD_Connection *c,
				  struct api_reply *rep, bool close)
{
	char *body = rep->body ? rep->body : strdup("{}");
	size_t len = rep->content_type ? rep->body_len : strlen(body);
	/* A newline ends every JSON body, for people reading it with
	 * curl; a download goes as it is. */
	char *nl = rep->content_type ? body : realloc(body, len + 2);
	if (nl && !rep->content_type) {
		body = nl;
		body[len++] = '\n';
		body[len] = '\0';
	}
	rep->body = NULL;
	struct MHD_Response *r = MHD_create_response_from_buffer(
		len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type",
				rep->content_type
					? rep->content_type
					: "application/json; charset=utf-8");
	if (rep->content_type) {
		char cd[160];
		snprintf(cd, sizeof cd, "attachment; filename=\"%s\"",
			 rep->filename);
		MHD_add_response_header(r, "Content-Disposition", cd);
	}
	security_headers(r, true);
	if (rep->cookie[0])
		MHD_add_response_header(r, "Set-Cookie", rep->cookie);
	if (rep->retry_after > 0) {
		char ra[16];
		snprintf(ra, sizeof ra, "%d", rep->retry_after);
		MHD_add_response_header(r, "Retry-After", ra);
	}
	if (close)
		MHD_add_response_header(r, "Connection", "close");
	enum MHD_Result ok = MHD_queue_response(c, (unsigned)rep->status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result send_error(struct MHD_Connection *c, enum cd_code code,
				  const char *msg, int status, bool close)
{
	struct api_reply rep;
	memset(&rep, 0, sizeof rep);
	api_error_reply(&rep, code, msg, NULL);
	if (status)
		rep.status = status;
	return send_reply(c, &rep, close);
}

/* ---- the dashboard's static files (web/) */

static const char *mime_of(const char *path)
{
	static const char *const types[][2] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".mjs", "text/javascript; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".json", "application/json; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
		{ ".woff2", "font/woff2" },
	};
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (!strcmp(dot, types[i][0]))
			return types[i][1];
	return NULL;
}

static enum MHD_Result send_static(struct server *s, struct MHD_Connection *c,
				   const char *url)
{
	char path[PATH_MAX + 256];
	const char *rel = strcmp(url, "/") ? url : "/index.html";
	const char *type = mime_of(rel);
	/* Only plain names: no "..", no hidden files, a known type. */
	if (!s->web[0] || !type || strstr(rel, "/.") || strstr(rel, "..") ||
	    strlen(rel) > 200)
		return send_error(c, CD_ENOTFOUND, "no such page", 0, false);
	snprintf(path, sizeof path, "%s%s", s->web, rel);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		if (fd >= 0)
			close(fd);
		return send_error(c, CD_ENOTFOUND, "no such page", 0, false);
	}
	struct MHD_Response *r =
		MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
	if (!r) {
		close(fd);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", "no-cache");
	security_headers(r, false);
	enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ok;
}

/* ---- the request callback */

static bool take_body(struct conn_req *q, const char *data, size_t n)
{
	size_t max = q->route->body_max;
	if (q->too_big || q->len + n > max) {
		q->too_big = true;
		free(q->buf);
		q->buf = NULL;
		return true;
	}
	if (q->route->flags & API_STREAM) {
		if (q->fd < 0) {
			const char *tmp = getenv("TMPDIR");
			snprintf(q->spool, sizeof q->spool, "%s/cordon-up.XXXXXX",
				 tmp && strlen(tmp) < 40 ? tmp : "/tmp");
			q->fd = mkstemp(q->spool);
			if (q->fd < 0)
				return false;
		}
		for (size_t off = 0; off < n;) {
			ssize_t w = write(q->fd, data + off, n - off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return false;
			off += (size_t)w;
		}
		q->len += n;
		return true;
	}
	if (q->len + n + 1 > q->cap) {
		size_t cap = q->cap ? q->cap : 4096;
		while (cap < q->len + n + 1)
			cap *= 2;
		char *b = realloc(q->buf, cap);
		if (!b)
			return false;
		q->buf = b;
		q->cap = cap;
	}
	memcpy(q->buf + q->len, data, n);
	q->len += n;
	q->buf[q->len] = '\0';
	return true;
}

static void loop_commit(struct loop *l);

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	(void)version;
	struct server *s = cls;
	struct conn_req *q = *con_cls;
	if (!q) {
		q = calloc(1, sizeof *q);
		if (!q)
			return MHD_NO;
		q->fd = -1;
		*con_cls = q;
		atomic_fetch_add(&s->inflight, 1);
		q->counted = true;
		if (strncmp(url, "/api/", 5)) {
			q->failed = true;
			if (strcmp(method, "GET") && strcmp(method, "HEAD"))
				return send_error(c, CD_ENOTFOUND, "no such "
						  "page", 405, true);
			return send_static(s, c, url);
		}
		q->route = api_route_find(method, url, q->params, &q->nparams,
					  &q->status);
		if (!q->route) {
			q->failed = true;
			return send_error(c, q->status == 405 ? CD_EINVAL
							      : CD_ENOTFOUND,
					  q->status == 405
						  ? "method not allowed here"
						  : "no such endpoint",
					  q->status, *upload_size > 0);
		}
		const char *cl = header(c, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > q->route->body_max) {
			q->failed = true;
			char msg[96];
			snprintf(msg, sizeof msg, "the body is larger than %zu "
				 "bytes", q->route->body_max);
			return send_error(c, CD_ETOOBIG, msg, 0, true);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!q->failed && !take_body(q, upload, *upload_size)) {
			q->failed = true;
			*upload_size = 0;
			return send_error(c, CD_EIO, NULL, 0, true);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (q->held) {
		/* Resumed after the loop's commit. */
		q->held = false;
		q->failed = true;
		if (q->flushed) {
			free(q->rep.body);
			return send_error(c, q->flushed, NULL, 0, false);
		}
		return send_reply(c, &q->rep, false);
	}
	if (q->failed)
		return MHD_YES;
	struct cd_err err;
	cd_err_clear(&err);
	struct store *st = store_for_thread(s, &err);
	if (!st) {
		fprintf(stderr, "cordon serve: %s\n", err.msg);
		return send_error(c, CD_EDB, NULL, 0, false);
	}
	char ip[64];
	client_ip(c, ip, sizeof ip);
	struct api_http h = {
		.method = method,
		.path = url,
		.authorization = header(c, "Authorization"),
		.cookie = header(c, "Cookie"),
		.csrf = header(c, "X-CSRF-Token"),
		.content_type = header(c, "Content-Type"),
		.ip = ip,
		.get = query_get,
		.each = query_each,
		.conn = c,
		.body = q->buf ? q->buf : "",
		.body_len = q->buf ? q->len : 0,
		.body_path = q->fd >= 0 ? q->spool : NULL,
		.too_big = q->too_big,
		.keep = this_loop != NULL,
	};
	if (q->fd >= 0 && fsync(q->fd) == 0) {
		close(q->fd);
		q->fd = -2;    /* closed; the file is removed when done */
	}
	/* held has room for one request a connection, so it is never full;
	 * should it be, what it holds is committed before this one runs. */
	struct loop *l = this_loop;
	if (l && l->nheld == l->capheld)
		loop_commit(l);
	struct api_reply rep;
	memset(&rep, 0, sizeof rep);
	api_dispatch(s->ctx, st, q->route, q->params, q->nparams, &h, &rep);
	if (rep.kept && l) {
		q->held = true;
		q->rep = rep;
		q->c = c;
		l->held[l->nheld++] = q;
		MHD_suspend_connection(c);
		return MHD_YES;
	}
	q->failed = true;
	return send_reply(c, &rep, false);
}

/* Commit the rows of every request the loop holds, in one transaction;
 * should that fail, each request's on its own, so that one bad row fails
 * only its request. Then resume them all: their replies go out. */
static void loop_commit(struct loop *l)
{
	struct store *st = thread_store;
	struct cd_err err;
	size_t n = store_kept(st);
	enum cd_code rc = st ? store_flush(st, 0, n, &err) : CD_EDB;
	if (rc && st) {
		fprintf(stderr, "cordon serve: committing %zu requests "
			"together: %s; now one by one\n", l->nheld, err.msg);
		size_t from = 0;
		for (size_t i = 0; i < l->nheld; i++) {
			struct conn_req *q = l->held[i];
			q->flushed = store_flush(st, from, from + q->rep.kept,
						 &err);
			if (q->flushed)
				fprintf(stderr, "cordon serve: %s\n", err.msg);
			from += q->rep.kept;
		}
	} else {
		for (size_t i = 0; i < l->nheld; i++)
			l->held[i]->flushed = rc;
	}
	if (st)
		store_keep_drop(st, 0);
	for (size_t i = 0; i < l->nheld; i++)
		MHD_resume_connection(l->held[i]->c);
	l->nheld = 0;
}

static void *loop_main(void *arg)
{
	struct loop *l = arg;
	struct server *s = l->s;
	this_loop = l;
	bool quiet = false;
	struct timespec deadline = { 0, 0 }, now;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (!quiet && atomic_load(&s->stopping)) {
			/* No new connection; what is in flight finishes. */
			l->listen = MHD_quiesce_daemon(l->d);
			quiet = true;
			deadline = now;
			deadline.tv_sec += DRAIN_SECONDS;
		}
		if (quiet && !l->nheld &&
		    (atomic_load(&s->inflight) == 0 ||
		     now.tv_sec > deadline.tv_sec))
			break;
		/* Every request ready now runs; then the rows of those held
		 * are committed at once. The wait is short so that a stop is
		 * seen. */
		MHD_run_wait(l->d, quiet ? 10 : 100);
		if (l->nheld)
			loop_commit(l);
	}
	return NULL;
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls,
		    enum MHD_RequestTerminationCode why)
{
	(void)c;
	(void)why;
	struct server *s = cls;
	struct conn_req *q = *con_cls;
	if (!q)
		return;
	if (q->fd >= 0)
		close(q->fd);
	if (q->spool[0])
		unlink(q->spool);
	free(q->buf);
	if (q->counted)
		atomic_fetch_sub(&s->inflight, 1);
	free(q);
	*con_cls = NULL;
}

static void on_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	fputs("cordon serve: libmicrohttpd: ", stderr);
	vfprintf(stderr, fmt, ap);
}

/* ---- setup */

static bool parse_listen(const char *s, struct sockaddr_in *out)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	if (!colon || (size_t)(colon - s) >= sizeof host)
		return false;
	snprintf(host, sizeof host, "%.*s", (int)(colon - s), s);
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535 || colon[1] == '\0')
		return false;
	memset(out, 0, sizeof *out);
	out->sin_family = AF_INET;
	out->sin_port = htons((uint16_t)port);
	if (!strcmp(host, "localhost"))
		snprintf(host, sizeof host, "127.0.0.1");
	return inet_pton(AF_INET, host, &out->sin_addr) == 1;
}

/* Wait for the loops (they drain and return once s->stopping is set),
 * then stop their daemons and close the listening sockets. */
static void stop_loops(struct server *s, struct loop *loops, int n)
{
	pthread_mutex_lock(&s->ckpt.mu);
	pthread_cond_signal(&s->ckpt.wake);
	pthread_mutex_unlock(&s->ckpt.mu);
	if (s->ckpt.started)
		pthread_join(s->ckpt.thread, NULL);
	s->ckpt.started = false;
	for (int i = 0; loops && i < n; i++) {
		struct loop *l = &loops[i];
		if (l->started)
			pthread_join(l->thread, NULL);
		if (l->d)
			MHD_stop_daemon(l->d);
		if (l->listen != MHD_INVALID_SOCKET)
			close(l->listen);
		free(l->held);
	}
	free(loops);
}

static char *read_small_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(1 << 20);
	size_t n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
	fclose(f);
	if (buf)
		buf[n] = '\0';
	return buf;
}

int api_serve(const struct api_serve_opts *o, const struct rules *r)
{
	struct server s;
	memset(&s, 0, sizeof s);
	s.o = o;
	pthread_mutex_init(&s.pool_lock, NULL);
	struct sockaddr_in addr;
	if (!parse_listen(o->listen, &addr)) {
		fprintf(stderr, "cordon: --listen '%s': give HOST:PORT with an "
			"IPv4 address, e.g. 127.0.0.1:8080\n", o->listen);
		return cd_code_exit(CD_EUSAGE);
	}
	if (o->web && o->web[0] && !realpath(o->web, s.web)) {
		fprintf(stderr, "cordon: --web %s: %s\n", o->web,
			strerror(errno));
		return cd_code_exit(CD_EIO);
	}
	/* Check the database before listening. */
	struct cd_err err;
	struct store *first;
	if (store_open(o->db, STORE_WRITE, &first, &err)) {
		fprintf(stderr, "cordon: %s\n", err.msg);
		return cd_code_exit(err.code);
	}
	long users = 0;
	enum cd_code rc = store_user_count(first, &users, &err);
	store_close(first);
	if (rc) {
		fprintf(stderr, "cordon: %s\n", err.msg);
		return cd_code_exit(rc);
	}
	char *cert = NULL, *key = NULL;
	bool tls = o->tls_cert || o->tls_key;
	if (tls) {
		if (!o->tls_cert || !o->tls_key) {
			fprintf(stderr, "cordon: give both --tls-cert and "
				"--tls-key\n");
			return cd_code_exit(CD_EUSAGE);
		}
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			fprintf(stderr, "cordon: this libmicrohttpd has no TLS"
				"\n");
			return cd_code_exit(CD_EIO);
		}
		cert = read_small_file(o->tls_cert);
		key = read_small_file(o->tls_key);
		if (!cert || !key) {
			fprintf(stderr, "cordon: cannot read %s\n",
				cert ? o->tls_key : o->tls_cert);
			free(cert);
			free(key);
			return cd_code_exit(CD_EIO);
		}
	}
	s.ctx = api_ctx_new(r, o->session_seconds, o->idle_seconds);
	if (!s.ctx) {
		free(cert);
		free(key);
		fprintf(stderr, "cordon: cannot start libsodium\n");
		return cd_code_exit(CD_ENOMEM);
	}
	api_auth_bind(s.ctx);
	/* The signals go to sigwait below, not to the server's threads. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	unsigned flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
			 MHD_ALLOW_SUSPEND_RESUME | (tls ? MHD_USE_TLS : 0);
	pthread_mutex_init(&s.ckpt.mu, NULL);
	pthread_cond_init(&s.ckpt.wake, NULL);
	s.ckpt.started = !pthread_create(&s.ckpt.thread, NULL, checkpoint_main,
					 &s);
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int threads = o->threads > 0 && o->threads <= MAX_THREADS ? o->threads
		      : cpus > 0 && cpus <= MAX_THREADS ? (int)cpus
							  : 2;
	unsigned limit = (unsigned)(o->max_connections > 0 ? o->max_connections
							   : 1000);
	/* The limit is the server's: shared among the loops. */
	unsigned per = (limit + (unsigned)threads - 1) / (unsigned)threads;
	struct loop *loops = calloc((size_t)threads, sizeof *loops);
	int started = 0;
	for (int i = 0; loops && i < threads; i++) {
		struct loop *l = &loops[i];
		l->s = &s;
		l->listen = MHD_INVALID_SOCKET;
		l->capheld = per;
		if (!(l->held = calloc(per, sizeof *l->held)))
			break;
		l->d = MHD_start_daemon(
			flags, 0, NULL, NULL, on_request, &s,
			MHD_OPTION_EXTERNAL_LOGGER, on_log, NULL,
			MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
			MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
			MHD_OPTION_CONNECTION_TIMEOUT,
			(unsigned)(o->timeout_seconds > 0 ? o->timeout_seconds
							  : 30),
			MHD_OPTION_CONNECTION_LIMIT, per,
			MHD_OPTION_NOTIFY_COMPLETED, on_done, &s,
			MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
			tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert,
			MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_END);
		if (!l->d)
			break;
		/* Port 0: the others listen where the first was put. */
		const union MHD_DaemonInfo *di =
			MHD_get_daemon_info(l->d, MHD_DAEMON_INFO_BIND_PORT);
		if (di && !addr.sin_port)
			addr.sin_port = htons(di->port);
		if (pthread_create(&l->thread, NULL, loop_main, l)) {
			MHD_stop_daemon(l->d);
			l->d = NULL;
			break;
		}
		l->started = true;
		started++;
	}
	if (started < threads) {
		fprintf(stderr, "cordon: cannot listen on %s: %s\n", o->listen,
			errno ? strerror(errno) : "libmicrohttpd refused");
		atomic_store(&s.stopping, true);
		stop_loops(&s, loops, threads);
		api_ctx_free(s.ctx);
		free(cert);
		free(key);
		return cd_code_exit(CD_EIO);
	}
	char host[64];
	inet_ntop(AF_INET, &addr.sin_addr, host, sizeof host);
	printf("cordon: serving %s://%s:%u/ (database %s, %d threads)\n",
	       tls ? "https" : "http", host, ntohs(addr.sin_port), o->db,
	       threads);
	if (!users)
		printf("cordon: no user yet: create the first admin with "
		       "'cordon user add NAME --role admin --db %s'\n", o->db);
	fflush(stdout);
	int sig = 0;
	sigwait(&sigs, &sig);
	printf("cordon: %s: finishing requests in flight\n",
	       sig == SIGINT ? "SIGINT" : "SIGTERM");
	fflush(stdout);
	atomic_store(&s.stopping, true);
	stop_loops(&s, loops, threads);
	for (int i = 0; i < s.npool; i++)
		store_close(s.pool[i]);
	api_ctx_free(s.ctx);
	pthread_mutex_destroy(&s.pool_lock);
	free(cert);
	free(key);
	printf("cordon: stopped\n");
	return 0;
}
