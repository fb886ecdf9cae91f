#!/usr/bin/env bash
# bench/serve.sh [PEOPLE] [SECONDS] — checkpoint verifications over HTTP:
# wrk against `cordon serve` (GET /api/v1/check/{person}?checkpoint=CODE
# &temp=36.5, keep-alive, cycling through 10,000 residents), and in the
# same run the same wrk settings against nginx serving a ~100-byte static
# file: the baseline. Prints requests/s, p50 and p99 of both and the ratio.
# With SOAK=SECONDS in the environment, also a long cordon run sampling the
# server's resident memory every 10 s.
#
# Everything runs on 127.0.0.1 and shares this machine's cores: wrk takes
# its part of the CPU from the server it measures (the table says how
# much). Tunables (environment): THREADS (the server's event loops and
# nginx's workers, default 2: one per core), WRK_THREADS (1), WRK_CONN
# (64: a county's checkpoints, each a terminal keeping its connection),
# PORT (18105), NGINX_PORT (18106). The server holds each verification's
# reply until its rows are committed with the other requests' ready at
# the same moment (docs/api.md), so fewer connections mean smaller groups:
# WRK_CONN=8 shows that.
# nginx must be startable by this user (root: its workers run as nobody).
# Prints figures; never fails on a number.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
SECS=${2:-30}
THREADS=${THREADS:-2}
WRK_THREADS=${WRK_THREADS:-1}
WRK_CONN=${WRK_CONN:-64}
PORT=${PORT:-18105}
NGINX_PORT=${NGINX_PORT:-18106}
SOAK=${SOAK:-}

make -s release bench
C=$PWD/build/release/cordon
mkdir -p build/bench
SRC=build/bench/county-$N.db
if [ ! -f "$SRC" ]; then
	echo "making the synthetic county of $N people in $SRC (once)"
	rm -rf "$SRC.presence"
	$C synth --db "$SRC" --people "$N" --days 1
fi

W=$(mktemp -d /tmp/cordon-serve.XXXXXX)
chmod 755 "$W"
SERVER= NGINX= WRK=
stop() {
	for p in $WRK $SERVER $NGINX; do
		kill "$p" 2>/dev/null || true
	done
	for p in $WRK $SERVER $NGINX; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$W"
}
trap stop EXIT
trap 'exit 130' INT TERM

# A fresh copy each run: verifications record passes, and every run should
# start from the same county.
DB=$W/county.db
cp "$SRC" "$DB"
COUNTY=$(sqlite3 "$DB" "SELECT code FROM units WHERE level = 1 ORDER BY code LIMIT 1")
CP=$(sqlite3 "$DB" "SELECT code FROM venues WHERE kind = 'checkpoint' ORDER BY code LIMIT 1")
if [ -z "$CP" ]; then
	CP=V${COUNTY}-CP01
	printf 'code,name,kind,unit,lat,lon\n%s,bench checkpoint,checkpoint,%s,,\n' \
		"$CP" "$COUNTY" > "$W/venues.csv"
	$C import venues "$W/venues.csv" --db "$DB" >/dev/null
fi
PW=bench-checkpoint-password
printf '%s\n' "$PW" | $C user add bench-cp --role checkpoint --unit "$COUNTY" --db "$DB" >/dev/null
# 10,000 residents spread over the registry (every 100th person).
sqlite3 "$DB" "SELECT resident_id FROM persons WHERE id % 100 = 7 ORDER BY id LIMIT 10000" > "$W/ids"

$C serve --db "$DB" --listen "127.0.0.1:$PORT" --threads "$THREADS" \
	> "$W/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do
	curl -s -o /dev/null "http://127.0.0.1:$PORT/api/v1/me" && break
	sleep 0.1
done
TOKEN=$(curl -s -XPOST -H 'Content-Type: application/json' \
	-d "{\"username\":\"bench-cp\",\"password\":\"$PW\"}" \
	"http://127.0.0.1:$PORT/api/v1/login" | jq -r .token)
export CHECK_IDS=$W/ids CHECK_TOKEN=$TOKEN CHECK_CHECKPOINT=$CP
first=$(head -1 "$W/ids")
reply=$(curl -s -H "Authorization: Bearer $TOKEN" \
	"http://127.0.0.1:$PORT/api/v1/check/$first?checkpoint=$CP&temp=36.5")
if ! printf '%s' "$reply" | jq -e .outcome >/dev/null 2>&1; then
	echo "serve.sh: the check route did not answer as expected: $reply" >&2
	exit 1
fi

# The baseline: nginx, as many workers as the server has threads, serving
# a 100-byte file over the same kind of keep-alive connections.
mkdir -p "$W/www" "$W/tmp" "$W/logs"
printf '{"outcome":"pass","colour":"green","findings":[],"note":"a static file of one hundred bytes."}\n' \
	> "$W/www/check.json"
cat > "$W/nginx.conf" <<EOF
worker_processes $THREADS;
daemon off;
pid $W/nginx.pid;
error_log $W/logs/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $W/tmp/body;
	proxy_temp_path $W/tmp/proxy;
	fastcgi_temp_path $W/tmp/fastcgi;
	uwsgi_temp_path $W/tmp/uwsgi;
	scgi_temp_path $W/tmp/scgi;
	keepalive_requests 100000000;
	keepalive_timeout 60s;
	server {
		listen 127.0.0.1:$NGINX_PORT;
		root $W/www;
		default_type application/json;
	}
}
EOF
nginx -c "$W/nginx.conf" -p "$W" -e "$W/logs/error.log" &
NGINX=$!
for _ in $(seq 100); do
	curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/check.json" && break
	sleep 0.1
done

HZ=$(getconf CLK_TCK)
ticks() { # CPU ticks (user + system) of the processes given
	local t=0 p
	for p in "$@"; do
		t=$(( t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0) ))
	done
	echo "$t"
}
busy() { # ticks the machine was busy: all but idle and iowait
	awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
}
pct() { awk -v t="$1" -v s="$2" -v hz="$HZ" 'BEGIN { printf "%.0f", 100 * t / hz / s }'; }

# run_wrk URL SECONDS OUT SERVER-PIDS...: wrk --latency into OUT, and
# "server-CPU% wrk-CPU% machine-busy%" (100 = one core) into OUT.cpu.
# wrk's own CPU is sampled twice a second until it exits.
run_wrk() {
	local url=$1 secs=$2 out=$3
	shift 3
	local pids=("$@") s0 m0 t0 w=0 st
	s0=$(ticks "${pids[@]}") m0=$(busy) t0=$(date +%s.%N)
	wrk -t "$WRK_THREADS" -c "$WRK_CONN" -d "${secs}s" --latency \
		-s bench/check.lua "$url" > "$out" 2>&1 &
	WRK=$!
	while st=$(cat "/proc/$WRK/stat" 2>/dev/null); do
		set -- $st
		[ "$3" = Z ] && break
		w=$(( ${14} + ${15} ))
		sleep 0.5
	done
	wait "$WRK" || true
	WRK=
	local el
	el=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
	echo "$(pct $(( $(ticks "${pids[@]}") - s0 )) "$el") $(pct "$w" "$el")" \
		"$(pct $(( $(busy) - m0 )) "$el")" > "$out.cpu"
}
ms() { # wrk's 1.23ms / 456.78us / 1.20s as milliseconds
	awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000;
		else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000;
		printf "%.2f", n }'
}
figures() { # file → "rps p50 p99 errors"
	local f=$1
	local rps p50 p99 bad
	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$f")
	p50=$(ms "$(awk '$1 == "50%" { print $2 }' "$f")")
	p99=$(ms "$(awk '$1 == "99%" { print $2 }' "$f")")
	bad=$(awk '/Non-2xx/ { print $5 }' "$f")
	echo "${rps:-0} $p50 $p99 ${bad:-0}"
}

echo "county: $N people ($SRC); checkpoint $CP; server threads $THREADS," \
	"nginx workers $THREADS; wrk -t$WRK_THREADS -c$WRK_CONN -d${SECS}s;" \
	"all on the same $(nproc) cores"
run_wrk "http://127.0.0.1:$PORT" "$SECS" "$W/cordon.txt" "$SERVER"
unset CHECK_IDS
CHECK_PATH=/check.json run_wrk "http://127.0.0.1:$NGINX_PORT" "$SECS" \
	"$W/nginx.txt" "$NGINX" $(pgrep -P "$NGINX")
export CHECK_IDS=$W/ids
kill "$NGINX" 2>/dev/null || true
wait "$NGINX" 2>/dev/null || true
NGINX=

read -r c_rps c_p50 c_p99 c_bad < <(figures "$W/cordon.txt")
read -r n_rps n_p50 n_p99 n_bad < <(figures "$W/nginx.txt")
read -r c_srv c_wrk c_all < "$W/cordon.txt.cpu"
read -r n_srv n_wrk n_all < "$W/nginx.txt.cpu"
passes=$(sqlite3 "$DB" "SELECT count(*) FROM checkpoint_passes")

printf '\n%-40s %11s %7s %7s %7s %7s %5s %5s\n' "" "requests/s" "p50 ms" \
	"p99 ms" "non-2xx" "server" "wrk" "all"
row() {
	printf '%-40s %11.0f %7.2f %7.2f %7s %6s%% %4s%% %4s%%\n' "$@"
}
row "cordon GET /api/v1/check/{person}" "$c_rps" "$c_p50" "$c_p99" \
	"$c_bad" "$c_srv" "$c_wrk" "$c_all"
row "baseline: nginx, static 100-byte file" "$n_rps" "$n_p50" "$n_p99" \
	"$n_bad" "$n_srv" "$n_wrk" "$n_all"
printf '%-40s %11s\n' "ratio cordon / nginx" \
	"$(awk -v a="$c_rps" -v b="$n_rps" 'BEGIN { printf "%.3f", b ? a / b : 0 }')"
printf '\nCPU in %% of one core (%s cores: %s%%): the server, wrk, and the whole' \
	"$(nproc)" "$(( $(nproc) * 100 ))"
printf ' machine (others included).\n%s passes recorded.\n' "$passes"

if [ -n "$SOAK" ]; then
	echo
	echo "soak: $SOAK s of the same load on cordon; every 10 s the server's" \
		"VmRSS (RssAnon: its own memory; the rest is shared libraries" \
		"and the database's pages) and the passes recorded"
	wrk -t "$WRK_THREADS" -c "$WRK_CONN" -d "${SOAK}s" --latency \
		-s bench/check.lua "http://127.0.0.1:$PORT" > "$W/soak.txt" 2>&1 &
	WRK=$!
	: > "$W/rss"
	while kill -0 "$WRK" 2>/dev/null &&
	      [ "$(awk '{ print $3 }' "/proc/$WRK/stat")" != Z ]; do
		echo "$(date +%s.%N)" \
			"$(awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER/status")" \
			"$(sqlite3 "$DB" "SELECT max(id) FROM checkpoint_passes")" \
			"$(awk '/^RssAnon:/ { print $2 }' "/proc/$SERVER/status")" \
			>> "$W/rss"
		sleep 10
	done
	wait "$WRK" || true
	WRK=
	read -r s_rps s_p50 s_p99 s_bad < <(figures "$W/soak.txt")
	# Per minute: requests/s from the passes recorded, and VmRSS.
	awk '{ t[NR] = $1; r[NR] = $2; p[NR] = $3; a[NR] = $4 }
		END { printf "minute:   "; for (i = 7; i <= NR; i += 6)
			printf " %6d", (i - 1) / 6; printf "\n";
		      printf "req/s:    "; for (i = 7; i <= NR; i += 6)
			printf " %6.0f", (p[i] - p[i - 6]) / (t[i] - t[i - 6]);
		      printf "\nVmRSS MB: "; for (i = 7; i <= NR; i += 6)
			printf " %6.1f", r[i] / 1024;
		      printf "\nRssAnon MB:"; for (i = 7; i <= NR; i += 6)
			printf " %6.1f", a[i] / 1024; printf "\n" }' "$W/rss"
	awk -v rps="$s_rps" -v p50="$s_p50" -v p99="$s_p99" -v bad="$s_bad" '
		NR == 1 { first = $2; afirst = $4 }
		{ last = $2; alast = $4; if ($2 > max) max = $2; if ($4 > amax) amax = $4 }
		END { printf "VmRSS first %.1f MB, last %.1f MB, max %.1f MB (%d samples)\n",
			first / 1024, last / 1024, max / 1024, NR
		      printf "RssAnon first %.1f MB, last %.1f MB, max %.1f MB\n",
			afirst / 1024, alast / 1024, amax / 1024
		      printf "soak: %.0f requests/s, p50 %.2f ms, p99 %.2f ms, non-2xx %s\n",
			rps, p50, p99, bad }' "$W/rss"
	echo "database after the soak: $(du -h "$DB" | cut -f1)," \
		"WAL $(du -h "$DB-wal" 2>/dev/null | cut -f1)" \
		"($(sqlite3 "$DB" "SELECT max(id) FROM checkpoint_passes") passes)"
fi
