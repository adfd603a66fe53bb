# tests/pod/podlib.sh - helpers for the POD containment tests (tests/pod/1*.sh).
#
# A script sources this file, defines its tests, and ends with
# `pod_main FUNC`, where FUNC runs the tests of one pass. Every check goes
# through the real binary: panes made with
#   HEXE_VOIDBOX_PROFILE=<profile> "$HEXE" mux new -d -s NAME -- CMD
# and results written by the pane to files, or read from its screen.
#
# Passes. Run as root, pod_main runs FUNC twice, each time as a fresh
# process with its own private HOME, XDG dirs and HEXE_INSTANCE:
#   root    as root, so a pane's root-mapping is checked;
#   65534   under `setpriv --reuid=65534 --regid=65534 --clear-groups`,
#           with TMPDIR in a temp dir chown'ed to 65534 (so its HOME and
#           XDG_RUNTIME_DIR are owned by 65534);
# both inside a throwaway mount namespace whose / is shared (`unshare -m
# --propagation shared`): a mount that leaked out of a pane would show up
# in the test's own mount table (row 14), on any host. Run as another user,
# pod_main runs FUNC once as that user, and rows that need root skip.
# Test names start with the pass: "root: row05 host pids invisible [full]".
#
# Everything made here is removed at exit: panes and daemons (lib.sh, by
# pid), host listeners (by pid), SysV objects (by id), markers, temp dirs.

source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

POD_PROFILES=(none minimal default balanced full)
# The system's python, by path: a shim in $PATH (pyenv) may be slow, or
# closed to the uid a pane runs as.
POD_PY=/usr/bin/python3
[[ -x $POD_PY ]] || POD_PY=$(command -v python3)
export POD_PY
POD_TESTDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# ---- passes ----

# The outer process (root): fixtures both passes use, made by root.
_pod_fixtures() {
	POD_FIXDIR=$(mktemp -d /var/tmp/hexe-podfix.XXXXXX) || return 1
	chmod 0755 "$POD_FIXDIR"
	# A setuid-root copy of id (row 3).
	cp /usr/bin/id "$POD_FIXDIR/suid-id"
	chown 0:0 "$POD_FIXDIR/suid-id"
	chmod 4755 "$POD_FIXDIR/suid-id"
	export POD_FIX_SUID=$POD_FIXDIR/suid-id
}

# Run one pass as a child process; relay its lines. A pass that ended
# badly without reporting a failure is one failure.
_pod_pass() { # NAME CMD...
	local name=$1 out rc
	shift
	out=$(mktemp "${POD_FIXDIR:-/var/tmp}/pass.XXXXXX")
	"$@" >"$out" 2>&1
	rc=$?
	cat "$out"
	if ((rc != 0)) && ! grep -q '^not ok ' "$out"; then
		echo "not ok $name: pass ended with status $rc"
		tail -n 20 "$out" | sed 's/^/    /'
	fi
	rm -f "$out"
	return 0
}

# pod_main FUNC: run FUNC in each pass of $POD_PASSES (default "root
# 65534"; a script and its *_65534.sh twin split them, so each stays
# within the runner's time limit).
pod_main() {
	local fn=$1 base pass
	if [[ -n ${POD_PASS:-} ]]; then
		pod_env_setup
		"$fn"
		return
	fi
	if (($(id -u) != 0)); then
		if [[ ${POD_PASSES:-root} != *root* ]]; then
			echo "skip 65534 pass: needs root to switch to uid 65534 (the pass as uid $(id -u) runs in the twin script)"
			return 0
		fi
		POD_PASS=uid$(id -u)
		pod_env_setup
		"$fn"
		return
	fi
	_pod_fixtures || { echo "not ok fixtures: cannot make them"; return 1; }
	trap 'rm -rf "$POD_FIXDIR"' EXIT
	for pass in ${POD_PASSES:-root 65534}; do
		case $pass in
		root)
			_pod_pass root env POD_PASS=root \
				unshare -m --propagation shared -- bash "$0"
			;;
		65534)
			base=$POD_FIXDIR/nobody
			mkdir -m 0700 "$base"
			chown 65534:65534 "$base"
			_pod_pass 65534 unshare -m --propagation shared -- \
				setpriv --reuid=65534 --regid=65534 --clear-groups \
				env POD_PASS=65534 TMPDIR="$base" bash "$0"
			;;
		esac
	done
}

# In a pass: the usual private environment, reachable by a root pane's
# 65534 (T_TMP 0711; results dir open to all), and the fixtures a pass
# makes for itself.
pod_env_setup() {
	export TMPDIR=${TMPDIR:-/var/tmp}
	[[ $TMPDIR == /tmp* ]] && TMPDIR=/var/tmp
	hexe_env_setup || exit 1
	trap _pod_on_exit EXIT
	chmod 0711 "$T_TMP"
	RES=$T_TMP/res
	mkdir -m 1777 "$RES"
	chmod 1777 "$RES"
	TOK=$$$RANDOM
	RT=$XDG_RUNTIME_DIR/hexe/$HEXE_INSTANCE
	POD_UID=$(id -u)
	POD_ROOT=0
	((POD_UID == 0)) && POD_ROOT=1
	# The uid a pane runs as, and owns its files with, on the host.
	POD_PANE_UID=$POD_UID
	((POD_ROOT)) && POD_PANE_UID=65534
	: >"$T_TMP/cleanup.sh"
	export RES TOK RT
}

# Commands run at exit (before lib.sh stops the instance).
pod_on_exit() {
	printf '%s\n' "$*" >>"$T_TMP/cleanup.sh"
}

_pod_on_exit() {
	local rc=$?
	[[ -n $T_TMP && -f $T_TMP/cleanup.sh ]] && bash "$T_TMP/cleanup.sh" >/dev/null 2>&1
	if [[ -n $T_TMP ]]; then
		timeout 5 "$HEXE" ses stop >/dev/null 2>&1
		_pod_kill_tracked
		_pod_cgroups_sweep
	fi
	# lib.sh's own exit handler: stop the instance, kill by pid, rm T_TMP.
	(exit "$rc")
	_t_on_exit
}

_pod_kill_tracked() {
	local pid
	[[ -f $T_TMP/tracked.pids ]] || return 0
	while read -r pid; do
		[[ $pid =~ ^[0-9]+$ ]] && kill -KILL "$pid" 2>/dev/null
	done <"$T_TMP/tracked.pids"
	return 0
}

# The cgroups of this pass's instance that a killed pod could not remove
# (rows 21, 16_setup: `kill -9` of a pod whose minimal pane had a
# membership cgroup). What is left in them is this pass's own.
_pod_cgroups_sweep() {
	local d pane pid i
	while IFS= read -r d; do
		for pane in "$d"/pane-*; do
			[[ -d $pane ]] || continue
			for ((i = 0; i < 20; i++)); do
				while read -r pid; do
					kill -KILL "$pid" 2>/dev/null
				done <"$pane/cgroup.procs"
				rmdir "$pane" 2>/dev/null && break
				sleep 0.05
			done
		done
		rmdir "$d" 2>/dev/null
	done < <(find /sys/fs/cgroup -maxdepth 6 -type d -name "hexe-$HEXE_INSTANCE" 2>/dev/null)
	return 0
}

# t_pod NAME FUNC ARGS: t_run with the pass in front of the name.
t_pod() {
	local name=$1
	shift
	t_run "$POD_PASS: $name" "$@"
}

# ---- panes ----

# pod_new PROFILE SESSION CMD...: a detached pane in PROFILE.
pod_new() {
	local p=$1 s=$2
	shift 2
	HEXE_VOIDBOX_PROFILE=$p "$HEXE" mux new -d -s "$s" -- "$@"
}

pod_screen() { "$HEXE" mux capture -t "$1"; }

# pod_wait_screen SESSION TEXT [SECONDS]
pod_wait_screen() {
	t_wait_for "${3:-10}" sh -c '"$HEXE" mux capture -t "$1" 2>/dev/null | grep -qF -- "$2"' _ "$1" "$2" || {
		echo "--- screen of $1:"
		pod_screen "$1" 2>&1
		return 1
	}
}

# The shell's prompt ("$ ", trimmed to "$" by capture) is on screen.
pod_wait_prompt() { # SESSION [SECONDS]
	t_wait_for "${2:-10}" sh -c '"$HEXE" mux capture -t "$1" 2>/dev/null | grep -q "^\\$"' _ "$1" || {
		echo "--- screen of $1:"
		pod_screen "$1" 2>&1
		return 1
	}
}

pod_wait_file() { # FILE [SECONDS]
	t_wait_for "${2:-10}" test -e "$1"
}

# The session is gone (its pane exited).
pod_wait_gone() { # SESSION [SECONDS]
	t_wait_for "${2:-10}" sh -c '! "$HEXE" ses list 2>/dev/null | grep -q "^$1 "' _ "$1"
}

# Field of `hexe pod list` for SESSION: 1 id, 3 child pid, ...
pod_field() { # SESSION FIELD
	"$HEXE" pod list | awk -v s="$1" -v f="$2" '$2 == s { print $f; exit }'
}

# Host pid of the pod process of SESSION's pane.
pod_pid_of() {
	local id
	id=$(pod_field "$1" 1)
	[[ -n $id ]] && head -n 1 "$RT/pod-$id.pid"
}

# Host pids whose whole command line is CMDLINE, arguments separated by
# spaces (for assertions only: processes are ended by pid, never by name).
pod_pids_with() {
	local f pid arg line
	for f in /proc/[0-9]*/cmdline; do
		pid=${f#/proc/}
		pid=${pid%/cmdline}
		line=
		# Pure bash: no process per pid.
		while IFS= read -r -d '' arg; do
			line+="$arg "
		done 2>/dev/null <"$f" || true
		[[ $line == "$1 " ]] && echo "$pid"
	done
	return 0
}

pod_kill_pids() {
	local pid
	for pid in "$@"; do
		_t_kill_pid "$pid"
	done
}

# Value of KEY in a results file of key=value lines.
res() { # FILE KEY
	sed -n "s/^$2=//p" "$1" | head -n 1
}

# t_expect ACTUAL EXPECTED WHAT: one assertion line per row.
t_expect() {
	t_assert_eq "$1" "$2" "$3"
}

# The pane's tty for profile p: full has its own devpts.
pod_has() { # PROFILE FEATURE: pidns mntns tmp net
	case $2 in
	userns) [[ $1 != none ]] ;;
	pidns | mntns) [[ $1 == default || $1 == balanced || $1 == full ]] ;;
	tmp) [[ $1 == balanced || $1 == full ]] ;;
	net) [[ $1 == full ]] ;;
	esac
}

# ---- host fixtures ----

# Host listeners a pane must not reach (rows 9, 10): TCP on 127.0.0.1
# (port written to PORTFILE), the abstract socket @NAME and the pathname
# socket PATH. They accept and close. Started here, ended by pid at exit.
pod_listeners() { # PORTFILE NAME PATH
	"$POD_PY" - "$@" <<-'PY' &
	import os, select, socket, sys, time
	portfile, name, path = sys.argv[1:4]
	t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
	t.bind(("127.0.0.1", 0))
	t.listen(16)
	a = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
	a.bind("\0" + name)
	a.listen(16)
	u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
	u.bind(path)
	u.listen(16)
	with open(portfile + ".tmp", "w") as f:
	    f.write(str(t.getsockname()[1]))
	os.rename(portfile + ".tmp", portfile)
	end = time.time() + 600
	while time.time() < end:
	    r, _, _ = select.select([t, a, u], [], [], 1)
	    for s in r:
	        c, _ = s.accept()
	        c.close()
	PY
	track_pid $!
	pod_on_exit "rm -f '$3'"
	t_wait_for 15 test -s "$1"
}

# SysV message queue and shared memory segment (row 11); ids printed
# as "MSQID SHMID", removed at exit.
pod_sysv() {
	local q m
	q=$(ipcmk -Q | awk '{ print $NF }')
	m=$(ipcmk -M 4096 | awk '{ print $NF }')
	pod_on_exit "ipcrm -q '$q'; ipcrm -m '$m'"
	echo "$q $m"
}
