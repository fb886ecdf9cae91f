/* server.c — `cordon serve`: libmicrohttpd with a pool of threads, each
 * with its own database connection, answering the API (dispatch.c) and
 * the dashboard's static files; a graceful stop on SIGTERM or SIGINT.
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

struct server {
	const struct api_serve_opts *o;
	struct api_ctx *ctx;
	pthread_mutex_t pool_lock;
	struct store *pool[MAX_THREADS + 2];
	int npool;
	atomic_int inflight;
	char web[PATH_MAX];
};

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
};

static __thread struct store *thread_store;

/* This thread's connection, opened on its first request and kept until
 * the server stops. */
static struct store *store_for_thread(struct server *s, struct cd_err *err)
{
	if (thread_store)
		return thread_store;
	pthread_mutex_lock(&s->pool_lock);
	if (s->npool < (int)(sizeof s->pool / sizeof s->pool[0]) &&
	    !store_open(s->o->db, STORE_WRITE, &s->pool[s->npool], err))
		thread_store = s->pool[s->npool++];
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
	};
	if (q->fd >= 0 && fsync(q->fd) == 0) {
		close(q->fd);
		q->fd = -2;    /* closed; the file is removed when done */
	}
	struct api_reply rep;
	memset(&rep, 0, sizeof rep);
	api_dispatch(s->ctx, st, q->route, q->params, q->nparams, &h, &rep);
	q->failed = true;
	return send_reply(c, &rep, false);
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
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			 MHD_USE_ERROR_LOG | MHD_USE_ITC |
			 (tls ? MHD_USE_TLS : 0);
	int threads = o->threads > 0 && o->threads <= MAX_THREADS ? o->threads
								  : 4;
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, &s,
		MHD_OPTION_EXTERNAL_LOGGER, on_log, NULL, MHD_OPTION_SOCK_ADDR,
		(struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE,
		(unsigned)threads, MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned)(o->timeout_seconds > 0 ? o->timeout_seconds : 30),
		MHD_OPTION_CONNECTION_LIMIT,
		(unsigned)(o->max_connections > 0 ? o->max_connections : 1000),
		MHD_OPTION_NOTIFY_COMPLETED, on_done, &s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
		tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert,
		MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "cordon: cannot listen on %s: %s\n", o->listen,
			errno ? strerror(errno) : "libmicrohttpd refused");
		api_ctx_free(s.ctx);
		free(cert);
		free(key);
		return cd_code_exit(CD_EIO);
	}
	const union MHD_DaemonInfo *di =
		MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char host[64];
	inet_ntop(AF_INET, &addr.sin_addr, host, sizeof host);
	printf("cordon: serving %s://%s:%u/ (database %s, %d threads)\n",
	       tls ? "https" : "http", host, di ? di->port : 0, o->db,
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
	MHD_socket ls = MHD_quiesce_daemon(d);
	for (int i = 0; i < DRAIN_SECONDS * 100 &&
			atomic_load(&s.inflight) > 0; i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	MHD_stop_daemon(d);
	if (ls != MHD_INVALID_SOCKET)
		close(ls);
	for (int i = 0; i < s.npool; i++)
		store_close(s.pool[i]);
	api_ctx_free(s.ctx);
	pthread_mutex_destroy(&s.pool_lock);
	free(cert);
	free(key);
	printf("cordon: stopped\n");
	return 0;
}
