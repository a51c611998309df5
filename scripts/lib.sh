# scripts/lib.sh: small shell helpers shared by scripts/stack and the test
# drivers (sourced, not run).

ENQ_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

note() { printf '%s: %s\n' "${ENQ_PROG:-enquete}" "$*" >&2; }
die() { note "$*"; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# The directory of PostgreSQL's server programs; never taken from PATH.
pg_bindir() {
	local d
	if command -v pg_config >/dev/null && d=$(pg_config --bindir 2>/dev/null) &&
		[ -x "$d/postgres" ] && [ -x "$d/initdb" ]; then
		printf '%s\n' "$d"
	elif [ -x /usr/lib/postgresql/15/bin/postgres ]; then
		printf '%s\n' /usr/lib/postgresql/15/bin
	else
		return 1
	fi
}

# Runs a command as USER from /, so that it never needs the caller's working
# directory (which may sit under a mode-0700 home). Runs it directly when we
# are not root (then everything runs as ourselves anyway).
run_as() {
	local user=$1; shift
	if is_root; then
		(cd / && exec runuser -u "$user" -- "$@")
	else
		(cd / && exec "$@")
	fi
}

# True when process PID is alive and its command name is COMM.
pid_is() {
	local pid=$1 comm=$2 got state
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
	got=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
	# a process killed but not yet reaped by its parent (a zombie) still
	# answers kill -0 under its name: it is not running
	state=$(sed -E 's/^.*\) (.).*$/\1/' "/proc/$pid/stat" 2>/dev/null) || return 1
	[ "$state" != Z ] || return 1
	[ "$got" = "$comm" ]
}

# The pid stored in FILE when that process is alive and named COMM.
pidfile_alive() {
	local file=$1 comm=$2 pid
	[ -s "$file" ] || return 1
	pid=$(head -n 1 "$file")
	pid_is "$pid" "$comm" && printf '%s\n' "$pid"
}

# A free TCP port on 127.0.0.1 (the kernel picks one).
free_port() {
	node -e 'const s = require("net").createServer();
		s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# The HTTP status of GET URL, or 000 when nothing answers.
http_code() {
	curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$1" 2>/dev/null || true
}

# Creates the system user NAME (and its group of the same name) when it
# does not exist: no home, no shell, no password. Idempotent; root only.
ensure_system_user() {
	local name=$1
	id -u "$name" >/dev/null 2>&1 && return 0
	is_root || return 1
	useradd --system --user-group --no-create-home --home-dir /nonexistent \
		--shell /usr/sbin/nologin --comment "enquete workers" "$name" >/dev/null 2>&1 ||
		id -u "$name" >/dev/null 2>&1 # created meanwhile by another up
}
