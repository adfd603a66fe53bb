#!/usr/bin/env bash
# POD_CHECKLIST rows 16-20: cgroup limits on the real kernel, through the
# real binary: pids.max, memory, cpu quota, limits that cannot be applied,
# and the removal of pane cgroups (also after a SIGKILL of the pod or ses).
#
# Limits reach the pod from the environment of the client that creates the
# session (HEXE_CGROUP_MEM_MAX, HEXE_CGROUP_CPU_MAX, HEXE_CGROUP_PIDS_MAX).
# Each limit test runs once per cgroup flavour: the one this host lacks
# skips with the reason ("no cgroup v2 controllers on this host").
#
# Safety: every fork bomb or hog runs under pids + memory + cpu limits and
# is bounded in time (timeout, or a deadline every process checks); only
# processes this script started are signalled, by pid; the pane cgroups of
# this script's instances are emptied and removed at exit.
source "$(dirname "$0")/../lib.sh"
hexe_env_setup

RT=$XDG_RUNTIME_DIR/hexe/$HEXE_INSTANCE
# The instance uid 65534 runs in (row 19), with its own private dirs. Tests
# run in subshells, so each dir made is recorded in $T_TMP/nobody.dirs for
# the cleanup at exit.
NOBODY_DIR=
NOBODY_INSTANCE="n$$_$RANDOM"

# ---- cgroup helpers ----

# Mount point and mount root of the hierarchy holding CTRL ("v2" for the
# cgroup2 mount): "POINT ROOT", or nothing.
cg_mount() { # CTRL
	awk -v want="$1" '{
		for (i = 1; i <= NF; i++) if ($i == "-") break
		fs = $(i + 1); opts = $(i + 3)
		if (want == "v2" && fs == "cgroup2") { print $5, $4; exit }
		if (want != "v2" && fs == "cgroup") {
			n = split(opts, o, ",")
			for (k = 1; k <= n; k++) if (o[k] == want) { print $5, $4; exit }
		}
	}' /proc/self/mountinfo
}

# The cgroup of PID for CTRL ("v2": the unified one), relative to its
# hierarchy.
cg_rel() { # PID CTRL
	awk -F: -v want="$2" '{
		if (want == "v2") { if ($1 == "0" && $2 == "") { print $3; exit } ; next }
		n = split($2, c, ",")
		for (k = 1; k <= n; k++) if (c[k] == want) { print $3; exit }
	}' "/proc/$1/cgroup"
}

# The directory of PID's cgroup for CTRL, or nothing.
cg_dir() { # PID CTRL
	local m point root rel
	m=$(cg_mount "$2")
	[[ -n $m ]] || return 0
	read -r point root <<<"$m"
	rel=$(cg_rel "$1" "$2")
	[[ -n $rel ]] || return 0
	[[ $root == / ]] || rel=${rel#"$root"}
	[[ $rel == / ]] && rel=
	echo "$point$rel"
}

# Where the limit for CTRL would go for this user: v1, v2 or none.
cg_flavor() { # CTRL
	local base sub avail
	if [[ -n $(cg_mount "$1") ]]; then
		echo v1
		return
	fi
	base=$(cg_dir $$ v2)
	if [[ -n $base && -w $base ]]; then
		sub=$(cat "$base/cgroup.subtree_control" 2>/dev/null)
		avail=$(cat "$base/cgroup.controllers" 2>/dev/null)
		if [[ " $sub " == *" $1 "* ]] ||
			[[ $base == "$(cg_mount v2 | cut -d' ' -f1)" && " $avail " == *" $1 "* ]]; then
			echo v2
			return
		fi
	fi
	echo none
}

# Skip unless every CTRL is on FLAVOR here and we may use it.
need() { # FLAVOR CTRL...
	local flavor=$1 c
	shift
	for c in "$@"; do
		if [[ $(cg_flavor "$c") != "$flavor" ]]; then
			[[ $flavor == v2 ]] && t_skip_test "no cgroup v2 controllers on this host"
			t_skip_test "no cgroup v1 $c hierarchy on this host"
		fi
	done
	if [[ $flavor == v1 && $(id -u) != 0 ]]; then
		t_skip_test "cgroup v1 limits need root (v1 has no delegation; row 19 covers the refusal)"
	fi
	return 0
}

# A statistic of the pane cgroup of PID: oom_kill, nr_throttled,
# pids.current.
cg_stat() { # FLAVOR PID NAME
	local flavor=$1 pid=$2 dir
	case $3 in
	oom_kill)
		if [[ $flavor == v1 ]]; then
			dir=$(cg_dir "$pid" memory)
			awk '$1 == "oom_kill" { print $2 }' "$dir/memory.oom_control"
		else
			dir=$(cg_dir "$pid" v2)
			awk '$1 == "oom_kill" { print $2 }' "$dir/memory.events"
		fi
		;;
	nr_throttled)
		dir=$(cg_dir "$pid" "$([[ $flavor == v1 ]] && echo cpu || echo v2)")
		awk '$1 == "nr_throttled" { print $2 }' "$dir/cpu.stat"
		;;
	pids.current)
		dir=$(cg_dir "$pid" "$([[ $flavor == v1 ]] && echo pids || echo v2)")
		cat "$dir/pids.current"
		;;
	esac
}

# For t_wait_for: does the statistic have this value now?
stat_is() { # FLAVOR PID NAME VALUE
	[[ $(cg_stat "$1" "$2" "$3" 2>/dev/null) == "$4" ]]
}

# Every pane cgroup directory of INSTANCE, in every hierarchy we can see.
instance_dirs() { # INSTANCE
	local c base
	for c in memory cpu pids v2; do
		base=$(cg_dir $$ "$c")
		[[ -n $base ]] || continue
		ls -d "$base/hexe-$1" "$base/hexe-$1"/pane-* 2>/dev/null
	done | sort -u
}

# At exit, after the daemons are stopped: end what is left in this
# script's pane cgroups (processes this script started, through hexe), by
# pid, and remove the directories.
cg_cleanup() {
	local inst d pid
	for inst in "$HEXE_INSTANCE" "$NOBODY_INSTANCE"; do
		for d in $(instance_dirs "$inst" | sort -r); do
			if [[ -f $d/cgroup.procs ]]; then
				while read -r pid; do
					[[ $pid =~ ^[0-9]+$ ]] && kill -KILL "$pid" 2>/dev/null
				done <"$d/cgroup.procs"
			fi
		done
		sleep 0.1
		for d in $(instance_dirs "$inst" | sort -r); do
			rmdir "$d" 2>/dev/null || true
		done
	done
	# uid 65534's daemons: politely, then by the pids they recorded.
	local dir f
	while read -r dir; do
		[[ $dir == /tmp/hexe-nobody.* && -d $dir ]] || continue
		NOBODY_DIR=$dir as_nobody timeout 5 "$HEXE" ses stop >/dev/null 2>&1 || true
		for f in "$dir/run/hexe/$NOBODY_INSTANCE"/*.pid; do
			[[ -f $f ]] && _t_kill_pid "$(head -n 1 "$f")"
		done
		rm -rf "$dir"
	done < <(cat "$T_TMP/nobody.dirs" 2>/dev/null)
}

_limits_on_exit() {
	local rc=$?
	if [[ -n $T_TMP ]]; then
		timeout 5 "$HEXE" ses stop >/dev/null 2>&1 || true
	fi
	cg_cleanup
	(exit "$rc")
	_t_on_exit
}
trap _limits_on_exit EXIT

# ---- pane helpers ----

wait_screen() { # TARGET TEXT [SECONDS]
	t_wait_for "${3:-5}" sh -c '"$HEXE" mux capture -t "$1" | grep -qF -- "$2"' _ "$1" "$2"
}

pane_field() { # SESSION COLUMN
	"$HEXE" pod list | awk -v s="$1" -v c="$2" '$2 == s { print $c }'
}
pane_pid() { pane_field "$1" 3; }
pane_id() { pane_field "$1" 1; }
pod_pid() {
	local f
	f=$(pane_field "$1" 7)
	echo "${f#pod=}"
}

# Start a session running /bin/sh with the given environment (limits,
# profile); prints nothing, fails when the pane does not come up.
new_pane() { # SESSION [VAR=VALUE...]
	local s=$1
	shift
	env HEXE_VOIDBOX_PROFILE=none "$@" "$HEXE" mux new -d -s "$s" -- /bin/sh
	t_wait_for 5 sh -c '[ -n "$("$HEXE" pod list | awk -v s="$1" '\''$2 == s { print $3 }'\'')" ]' _ "$s"
	track_pid "$(pane_pid "$s")"
}

# Run a command line in the pane and wait for its "done-TAG" marker (typed
# as "done-""TAG", so that the echo of the typed line does not match).
pane_run() { # SESSION TAG SECONDS CMDLINE
	"$HEXE" mux send -t "$1" "$4; echo done-\"\"$2" Enter
	wait_screen "$1" "done-$2" "$3"
}

# Each test starts from an instance without panes (and so without pane
# cgroups), whatever an earlier failing test left running.
fresh() {
	timeout 10 "$HEXE" ses stop >/dev/null 2>&1 || true
}

# ---- row 16: pids ----

test_pids_count() { # FLAVOR PROFILE
	local flavor=$1 profile=$2 before
	need "$flavor" pids
	fresh
	new_pane p16 HEXE_VOIDBOX_PROFILE="$profile" HEXE_CGROUP_PIDS_MAX=20 HEXE_CGROUP_MEM_MAX=256M HEXE_CGROUP_CPU_MAX="50000 100000"
	local pid out
	pid=$(pane_pid p16)
	t_assert_eq "$(cat "$(cg_dir "$pid" "$([[ $flavor == v1 ]] && echo pids || echo v2)")/pids.max")" 20 "pids.max"
	# What is in the cgroup before: the shell, and the pod's init in
	# profiles with a pid namespace.
	before=1
	[[ $profile == none || $profile == minimal ]] || before=2
	t_assert_eq "$(cg_stat "$flavor" "$pid" pids.current)" "$before" "shell (and init) before"
	# 50 forks, each child held until all are counted: with the perl
	# itself, 20 - before - 1 succeed and the rest fail with EAGAIN.
	pane_run p16 forks 15 "perl -e 'use POSIX; alarm 10; my (\$ok, \$bad, \$e, @k) = (0, 0, q(none));
		for (1..50) { my \$p = fork; if (!defined \$p) { \$bad++; \$e = (\$! == EAGAIN) ? q(EAGAIN) : \$!; next }
		if (!\$p) { sleep 20; POSIX::_exit(0) } \$ok++; push @k, \$p }
		print qq(forks ok=\$ok failed=\$bad err=\$e\n) ; kill 9, @k; 1 while wait > 0'"
	out=$("$HEXE" mux capture -t p16 | grep -oE 'forks ok=[0-9]+ failed=[0-9]+ err=[A-Za-z0-9 ]+' | tail -n 1)
	local want=$((20 - before - 1))
	t_assert_eq "$out" "forks ok=$want failed=$((50 - want)) err=EAGAIN" "$want forks under pids=20"
	t_wait_for 3 stat_is "$flavor" "$pid" pids.current "$before"
	"$HEXE" ses kill p16
}

test_fork_bomb() { # FLAVOR
	need "$1" pids cpu memory
	fresh
	"$HEXE" mux new -d -s other -- /bin/sh
	new_pane bomb HEXE_CGROUP_PIDS_MAX=64 HEXE_CGROUP_CPU_MAX="50000 100000" HEXE_CGROUP_MEM_MAX=256M
	local pid ses_pid max=0 n i
	pid=$(pane_pid bomb)
	ses_pid=$(head -n 1 "$RT/ses.pid" 2>/dev/null || true)
	# Every process of the bomb stops forking and exits at the deadline
	# (4 s); timeout ends the first one at 8 s at the latest.
	"$HEXE" mux send -t bomb "timeout -s KILL 8 perl -e '\$end = time + 4; while (time < \$end) { fork } exit 0'; echo bomb-\"\"over" Enter
	sleep 0.5
	# While it runs: contained, and the mux answers for other panes.
	for ((i = 0; i < 10; i++)); do
		n=$(cg_stat "$1" "$pid" pids.current)
		((n > max)) && max=$n
		sleep 0.1
	done
	((max <= 64)) || { echo "pids.current $max > 64"; return 1; }
	((max >= 32)) || { echo "the bomb never grew ($max): not a test"; return 1; }
	"$HEXE" mux send -t other 'echo other-$((6*7))' Enter
	wait_screen other "other-42" 3
	[[ -z $ses_pid ]] || kill -0 "$ses_pid"
	# Afterwards: the shell survives and nothing is left over.
	wait_screen bomb "bomb-over" 15
	t_wait_for 5 stat_is "$1" "$pid" pids.current 1
	pane_run bomb alive 5 "echo shell-alive"
	t_assert_eq "$(cg_stat "$1" "$pid" pids.current)" 1 "only the shell is left"
	"$HEXE" ses kill bomb
	"$HEXE" ses kill other
}

# ---- row 17: memory ----

test_memory_hog() { # FLAVOR
	need "$1" memory pids cpu
	fresh
	"$HEXE" mux new -d -s bystander -- /bin/sh
	new_pane m17 HEXE_CGROUP_MEM_MAX=64M HEXE_CGROUP_PIDS_MAX=32 HEXE_CGROUP_CPU_MAX="100000 100000"
	local pid dir
	pid=$(pane_pid m17)
	if [[ $1 == v1 ]]; then
		dir=$(cg_dir "$pid" memory)
		t_assert_eq "$(cat "$dir/memory.limit_in_bytes")" $((64 << 20)) "memory.limit_in_bytes"
	else
		dir=$(cg_dir "$pid" v2)
		t_assert_eq "$(cat "$dir/memory.max")" $((64 << 20)) "memory.max"
	fi
	t_assert_eq "$(cg_stat "$1" "$pid" oom_kill)" 0 "no OOM kill before"
	# 4x the limit, touched at once.
	pane_run m17 hog 20 "timeout 15 perl -e '\$x = q(x) x (256 << 20); print qq(sur), qq(vived\n)'; echo hog-status=\$?"
	wait_screen m17 "hog-status=137"
	if "$HEXE" mux capture -t m17 | grep -qx survived; then
		echo "the hog was not killed"; return 1
	fi
	local k
	k=$(cg_stat "$1" "$pid" oom_kill)
	((k >= 1)) || { echo "oom_kill = $k"; return 1; }
	# The shell, the mux and the other pane are untouched.
	kill -0 "$pid"
	pane_run m17 after 5 "echo shell-after-\$((40+2))"
	wait_screen m17 "shell-after-42"
	"$HEXE" mux send -t bystander 'echo bystander-ok' Enter
	wait_screen bystander "bystander-ok"
	"$HEXE" ses kill m17
	"$HEXE" ses kill bystander
}

# ---- row 18: cpu ----

# Spin for 2 s of wall time, then print wall and CPU time (µs).
SPIN="perl -MTime::HiRes=time -e '\$t0 = time; 1 while time - \$t0 < 2; my @t = times; printf qq(wall=%d cpu=%d\\n), (time - \$t0) * 1e6, (\$t[0] + \$t[1]) * 1e6'"

test_cpu_quota() { # FLAVOR
	need "$1" cpu pids memory
	fresh
	new_pane c18 HEXE_CGROUP_CPU_MAX="50000 100000" HEXE_CGROUP_PIDS_MAX=32 HEXE_CGROUP_MEM_MAX=256M
	local pid dir out wall cpu share
	pid=$(pane_pid c18)
	if [[ $1 == v1 ]]; then
		dir=$(cg_dir "$pid" cpu)
		t_assert_eq "$(cat "$dir/cpu.cfs_period_us")" 100000 "period"
		t_assert_eq "$(cat "$dir/cpu.cfs_quota_us")" 50000 "quota"
	else
		dir=$(cg_dir "$pid" v2)
		t_assert_eq "$(cat "$dir/cpu.max")" "50000 100000" "cpu.max"
	fi
	# Other load on the host must not starve the spinner below its quota:
	# give the pane's cgroup (and hexe-<instance>) the largest weight.
	# That changes its share of a contended CPU, not its quota.
	if [[ $1 == v1 ]]; then
		echo 262144 >"$dir/cpu.shares"
		echo 262144 >"$dir/../cpu.shares"
	else
		echo 10000 >"$dir/cpu.weight"
		echo 10000 >"$dir/../cpu.weight"
	fi
	# Spin for 2 s of wall time in the pane; it reports wall and CPU time
	# in µs on the screen (a pane may run as a user that cannot write our
	# files).
	local try
	for try in 1 2 3; do
		"$HEXE" mux send -t c18 "clear; $SPIN" Enter
		sleep 0.5 # the clear is done, the spinner not
		t_wait_for 10 sh -c '"$HEXE" mux capture -t c18 | grep -qE "^wall=[0-9]+ cpu=[0-9]+"'
		out=$("$HEXE" mux capture -t c18 | grep -E '^wall=[0-9]+ cpu=[0-9]+' | tail -n 1)
		[[ $out =~ wall=([0-9]+)\ cpu=([0-9]+) ]] || { echo "bad output: $out"; return 1; }
		wall=${BASH_REMATCH[1]}
		cpu=${BASH_REMATCH[2]}
		share=$((cpu * 1000 / wall)) # per mille
		echo "try $try: ${cpu}us of CPU in ${wall}us = $share/1000"
		((share <= 550)) || { echo "CPU share $share/1000 above 0.5 + 5%"; return 1; }
		((share >= 450)) && break
		sleep 0.5
	done
	((share >= 450)) || { echo "CPU share $share/1000 below 0.5 - 5% (host load: $(cat /proc/loadavg))"; return 1; }
	local thr
	thr=$(cg_stat "$1" "$pid" nr_throttled)
	((thr > 0)) || { echo "nr_throttled = $thr"; return 1; }
	"$HEXE" ses kill c18
}

# ---- row 19: limits unavailable ----

# Run hexe as uid 65534 in its own private instance.
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups env \
		HOME="$NOBODY_DIR/home" XDG_RUNTIME_DIR="$NOBODY_DIR/run" \
		XDG_CONFIG_HOME="$NOBODY_DIR/home/.config" \
		XDG_STATE_HOME="$NOBODY_DIR/home/.local/state" \
		HEXE_INSTANCE="$NOBODY_INSTANCE" "$@"
}

nobody_hexe() {
	as_nobody "$HEXE" "$@"
}

nobody_screen_has() { # SESSION TEXT
	nobody_hexe mux capture -t "$1" 2>/dev/null | grep -qF -- "$2"
}

nobody_has_session() { # SESSION
	nobody_hexe ses list 2>/dev/null | grep -q "^$1 "
}

nobody_has_pane() { # SESSION
	nobody_hexe pod list 2>/dev/null | awk -v s="$1" '$2 == s { f = 1 } END { exit !f }'
}

nobody_setup() {
	[[ $(id -u) == 0 ]] || t_skip_test "needs root to run hexe as uid 65534"
	NOBODY_DIR=$(mktemp -d /tmp/hexe-nobody.XXXXXX)
	echo "$NOBODY_DIR" >>"$T_TMP/nobody.dirs"
	mkdir -p "$NOBODY_DIR/home" "$NOBODY_DIR/run"
	chown -R 65534:65534 "$NOBODY_DIR"
	chmod 0700 "$NOBODY_DIR/run"
	chmod 0755 "$NOBODY_DIR"
}

test_limits_unavailable() {
	nobody_setup
	# Only meaningful where uid 65534 has no delegated cgroup.
	local why
	why=$(as_nobody sh -c 'for c in /sys/fs/cgroup/pids /sys/fs/cgroup/unified /sys/fs/cgroup; do [ -w "$c" ] && echo "$c"; done; true')
	[[ -z $why ]] || t_skip_test "uid 65534 can write $why: limits are delegated here"
	local nrt=$NOBODY_DIR/run/hexe/$NOBODY_INSTANCE screen id log n
	as_nobody env HEXE_VOIDBOX_PROFILE=none HEXE_CGROUP_PIDS_MAX=20 \
		"$HEXE" mux new -d -s lim -- /bin/sh
	t_wait_for 5 nobody_has_pane lim
	id=$(as_nobody "$HEXE" pod list | awk '$2 == "lim" { print $1 }')
	track_pid "$(as_nobody "$HEXE" pod list | awk '$2 == "lim" { print $3 }')"
	# The pane starts, and says once why its limit is missing.
	as_nobody "$HEXE" mux send -t lim 'echo pane-$((1+1))' Enter
	t_wait_for 5 nobody_screen_has lim pane-2
	screen=$(as_nobody "$HEXE" mux capture -t lim)
	n=$(grep -c "limit not applied" <<<"$screen" || true)
	t_assert_eq "$n" 1 "exactly one warning on screen"
	t_assert_contains "$screen" "pids limit not applied: " "names the limit"
	t_assert_contains "$screen" "Permission denied" "names the errno"
	[[ $screen =~ pids\ limit\ not\ applied:\ /[^:]*: ]] || { echo "no path in: $screen"; return 1; }
	log=$(cat "$nrt/log/pod-$id.log")
	n=$(grep -c "limit not applied" <<<"$log" || true)
	t_assert_eq "$n" 1 "exactly one warning in the pod log"
	t_assert_contains "$log" "warn: pids limit not applied: /" "logged as a warning with the path"
	# No cgroup of this instance anywhere.
	t_assert_eq "$(instance_dirs "$NOBODY_INSTANCE")" "" "no cgroup made"
	nobody_hexe ses stop
}

test_limits_unavailable_strict() {
	nobody_setup
	local why
	why=$(as_nobody sh -c 'for c in /sys/fs/cgroup/pids /sys/fs/cgroup/unified /sys/fs/cgroup; do [ -w "$c" ] && echo "$c"; done; true')
	[[ -z $why ]] || t_skip_test "uid 65534 can write $why: limits are delegated here"
	local nrt=$NOBODY_DIR/run/hexe/$NOBODY_INSTANCE out rc=0 logs
	out=$(as_nobody env HEXE_VOIDBOX_PROFILE=none HEXE_CGROUP_PIDS_MAX=20 HEXE_POD_STRICT=1 \
		"$HEXE" mux new -d -s strict -- /bin/sh 2>&1) || rc=$?
	# Refused: either `new` fails with the message, or the pane closes
	# after showing it; the pod log has it in both cases.
	t_wait_for 5 sh -c 'cat "$1"/log/pod-*.log 2>/dev/null | grep -q "strict"' _ "$nrt"
	logs=$(cat "$nrt"/log/pod-*.log)
	t_assert_contains "$logs" "pids limit not applied: /" "the message with the path"
	t_assert_contains "$logs" "Permission denied" "and the errno"
	t_assert_contains "$logs" "strict" "says why the pane was refused"
	if ((rc == 0)); then
		t_wait_for 5 eval '! nobody_has_session strict'
	else
		t_assert_contains "$out" "pids limit not applied" "new says why"
	fi
	t_assert_eq "$(instance_dirs "$NOBODY_INSTANCE")" "" "no cgroup made"
	nobody_hexe ses stop
}

# ---- row 20: cleanup ----

need_any_limit() {
	local c
	for c in pids memory cpu; do
		if [[ $(cg_flavor "$c") != none ]]; then
			[[ $(cg_flavor "$c") == v1 && $(id -u) != 0 ]] && continue
			return 0
		fi
	done
	t_skip_test "no usable cgroup controller here"
}

# The pane's cgroup directories, from its own /proc/PID/cgroup.
pane_dirs() { # PID
	local c d
	for c in memory cpu pids v2; do
		d=$(cg_dir "$1" "$c")
		[[ $d == */hexe-"$HEXE_INSTANCE"/pane-* ]] && echo "$d"
	done | sort -u
}

all_gone() {
	local d
	for d in "$@"; do
		[[ ! -e $d ]] || return 1
	done
}

test_nested_under_own_cgroup() {
	need_any_limit
	fresh
	new_pane nest HEXE_CGROUP_PIDS_MAX=50 HEXE_CGROUP_MEM_MAX=128M HEXE_CGROUP_CPU_MAX="100000 100000"
	local pid c own d
	pid=$(pane_pid nest)
	for c in memory cpu pids v2; do
		d=$(cg_dir "$pid" "$c")
		own=$(cg_dir $$ "$c")
		[[ -n $d && -n $own ]] || continue
		[[ $d == */hexe-"$HEXE_INSTANCE"/pane-* ]] || continue
		t_assert_eq "$d" "$own/hexe-$HEXE_INSTANCE/pane-$(pane_id nest)" "$c cgroup nests under ours"
	done
	[[ -n $(pane_dirs "$pid") ]] || { echo "the pane has no cgroup"; return 1; }
	"$HEXE" ses kill nest
}

test_cleanup_on_exit() {
	need_any_limit
	fresh
	new_pane gone HEXE_CGROUP_PIDS_MAX=50 HEXE_CGROUP_MEM_MAX=128M HEXE_CGROUP_CPU_MAX="100000 100000"
	local pid dirs
	pid=$(pane_pid gone)
	mapfile -t dirs < <(pane_dirs "$pid")
	((${#dirs[@]} > 0)) || { echo "the pane has no cgroup"; return 1; }
	# A background job that outlives the shell goes with the pane.
	"$HEXE" mux send -t gone 'nohup sleep 60 >/dev/null 2>&1 & exit' Enter
	t_wait_for 5 all_gone "${dirs[@]}"
	# The last pane of the instance takes hexe-<instance> with it.
	if [[ -z $("$HEXE" pod list) ]]; then
		t_wait_for 5 all_gone "${dirs[@]%/pane-*}"
	fi
}

test_sweep_after_pod_sigkill() {
	need_any_limit
	fresh
	new_pane k9 HEXE_CGROUP_PIDS_MAX=50 HEXE_CGROUP_MEM_MAX=128M HEXE_CGROUP_CPU_MAX="100000 100000"
	local pid pod dirs
	pid=$(pane_pid k9)
	pod=$(pod_pid k9)
	mapfile -t dirs < <(pane_dirs "$pid")
	((${#dirs[@]} > 0)) || { echo "the pane has no cgroup"; return 1; }
	kill -KILL "$pod"
	# ses notices the lost pod and sweeps its cgroups (and whatever is
	# left in them).
	t_wait_for 5 all_gone "${dirs[@]}"
	t_wait_for 3 t_gone "$pid"
}

# A pane whose id still has a cgroup directory (its earlier holder died
# and the sweep has not run yet) does not inherit what is left in it.
test_stale_dir_emptied() {
	need_any_limit
	fresh
	new_pane first HEXE_CGROUP_PIDS_MAX=50
	local id next dirs d stray
	id=$(pane_id first)
	next=$((id + 1))
	mapfile -t dirs < <(pane_dirs "$(pane_pid first)")
	((${#dirs[@]} > 0)) || { echo "the pane has no cgroup"; return 1; }
	# a stray process in the directories the next pane id will get
	sleep 300 &
	stray=$!
	track_pid "$stray"
	for d in "${dirs[@]}"; do
		d=${d%/pane-"$id"}/pane-$next
		mkdir -p "$d"
		echo "$stray" >"$d/cgroup.procs"
	done
	new_pane second HEXE_CGROUP_PIDS_MAX=50
	t_assert_eq "$(pane_id second)" "$next" "the next pane got the next id"
	t_wait_for 3 t_gone "$stray" || { echo "the stray process lives on in pane $next's cgroup"; return 1; }
	"$HEXE" mux send -t second 'echo alive-$((40+2))' Enter
	wait_screen second "alive-42"
}

test_sweep_after_ses_sigkill() {
	need_any_limit
	fresh
	new_pane live HEXE_CGROUP_PIDS_MAX=50
	new_pane dead HEXE_CGROUP_PIDS_MAX=50
	local ses live_dirs dead_dirs dead_pod
	ses=$(head -n 1 "$RT/ses.pid")
	mapfile -t live_dirs < <(pane_dirs "$(pane_pid live)")
	mapfile -t dead_dirs < <(pane_dirs "$(pane_pid dead)")
	dead_pod=$(pod_pid dead)
	((${#dead_dirs[@]} > 0)) || { echo "the pane has no cgroup"; return 1; }
	# Both the daemon and one pod die at once; the other pane lives on.
	kill -KILL "$ses" "$dead_pod"
	t_wait_for 3 t_gone "$ses"
	# The next daemon (started by any command) adopts the live pane and
	# sweeps the dead one's cgroups.
	"$HEXE" ses list >/dev/null
	t_wait_for 5 all_gone "${dead_dirs[@]}"
	local d
	for d in "${live_dirs[@]}"; do
		[[ -d $d ]] || { echo "a live pane's cgroup was swept: $d"; return 1; }
	done
	"$HEXE" ses kill live
	t_wait_for 5 all_gone "${live_dirs[@]}"
}

for flavor in v1 v2; do
	t_run "pids ($flavor): 50 forks under pids=20: 18 ok, then EAGAIN" test_pids_count "$flavor" none
	t_run "pids ($flavor, profile default): the pod's init counts too: 17 ok" test_pids_count "$flavor" default
	t_run "pids ($flavor): fork bomb under pids+cpu+memory contained, shell survives" test_fork_bomb "$flavor"
	t_run "memory ($flavor): hog of 4x the limit dies with 137, oom_kill counted" test_memory_hog "$flavor"
	t_run "cpu ($flavor): 50000/100000 gives 0.5 CPU +-5%, throttled" test_cpu_quota "$flavor"
done
t_run "limits unavailable (uid 65534): one warning with path and errno, pane starts" test_limits_unavailable
t_run "limits unavailable (uid 65534), strict: pane refused with that message" test_limits_unavailable_strict
t_run "pane cgroups nest under hexe's own cgroup" test_nested_under_own_cgroup
t_run "no pane cgroup left after the pane exits" test_cleanup_on_exit
t_run "stale cgroup swept after kill -9 of the pod" test_sweep_after_pod_sigkill
t_run "stale cgroup swept after kill -9 of ses (live panes kept)" test_sweep_after_ses_sigkill
t_run "a reused pane id's leftover cgroup is emptied first" test_stale_dir_emptied
