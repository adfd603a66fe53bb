#!/usr/bin/env bash
# `hexe pod run`: one program in a POD without a multiplexer — the same
# spawn path as a pane, its output relayed, its exit status returned.
source "$(dirname "$0")/../lib.sh"
hexe_env_setup

run() { # run ARGS...: output with the terminal's \r removed
	timeout 20 "$HEXE" pod run "$@" 2>&1 | tr -d '\r'
	return "${PIPESTATUS[0]}"
}

# A cwd every pane identity can enter, so no notice mixes in.
cd /

test_profiles() {
	local p out rc me
	me=$(id -u)
	for p in none minimal default balanced full; do
		rc=0
		out=$(run --profile "$p" -- sh -c 'echo "host=$(hostname) uid=$(id -u)"; exit 3') || rc=$?
		t_assert_eq "$rc" 3 "$p: exit status of the program"
		if [[ $p == full ]]; then
			t_assert_contains "$out" "host=pod-" "$p: the pod's own host name"
		else
			t_assert_contains "$out" "host=$(hostname)" "$p: the host's name"
		fi
		if [[ $p == none || $me != 0 ]]; then
			t_assert_contains "$out" "uid=$me" "$p: same identity"
		else
			t_assert_contains "$out" "uid=65534" "$p: root runs as 65534"
		fi
	done
}

test_pid_namespace_and_tty() {
	local out
	out=$(run --profile default -- sh -c 'echo "pid=$$"; tty; ls /proc | grep -c "^[0-9]"')
	t_assert_contains "$out" "pid=2" "the program is pid 2 under the pod's init"
	t_assert_contains "$out" "/dev/pts/" "a terminal"
	# init, sh, ls (and grep's pipeline side): a handful, not the host's
	local n
	n=$(tail -n 1 <<<"$out")
	((n < 10)) || { echo "$n processes visible"; return 1; }
}

test_signal_status() {
	local rc=0
	run --profile full -- sh -c 'kill -TERM $$' >/dev/null || rc=$?
	t_assert_eq "$rc" $((128 + 15)) "killed by SIGTERM: 128+15"
}

test_stdin_relayed() {
	local out
	out=$(printf 'one\ntwo' | timeout 20 "$HEXE" pod run --profile minimal -- sh -c 'wc -l; echo end' | tr -d '\r')
	# "two" has no newline: the program sees two lines' worth and an EOF
	t_assert_contains "$out" "end" "the program saw end of input"
}

test_bad_input() {
	local out rc
	rc=0; out=$(run --profile bogus -- true) || rc=$?
	t_assert_eq "$rc" 2 "unknown profile: usage error"
	t_assert_contains "$out" '--profile: unknown profile "bogus"' "names the option"
	t_assert_contains "$out" '"full"' "lists the accepted profiles"
	rc=0; out=$(run --memory 12Q -- true) || rc=$?
	t_assert_eq "$rc" 2 "bad memory"
	t_assert_contains "$out" '--memory: expected a size like "512M"' "memory forms"
	rc=0; out=$(run --profile full) || rc=$?
	t_assert_eq "$rc" 2 "no command"
	t_assert_contains "$out" "no command given" "says what is missing"
	rc=0; out=$(run --frobnicate -- true) || rc=$?
	t_assert_eq "$rc" 2 "unknown option"
	t_assert_contains "$out" 'unknown option "--frobnicate"' "names it"
	rc=0; out=$(HEXE_VOIDBOX_PROFILE=nope run -- true) || rc=$?
	t_assert_eq "$rc" 2 "bad environment"
	t_assert_contains "$out" "HEXE_VOIDBOX_PROFILE" "names the variable"
	rc=0; out=$(run --profile full -- /nonexistent/prog) || rc=$?
	t_assert_eq "$rc" 126 "a program that cannot run"
	t_assert_contains "$out" "exec /nonexistent/prog: No such file or directory" "names the step"
}

# pids=20 stops a burst of 40 forks; the cgroup is gone after.
test_limits() {
	local out rc=0 pid
	(($(id -u) == 0)) || t_skip_test "limits need root here (no cgroup delegation)"
	out=$(timeout 20 "$HEXE" pod run --profile full --pids 20 --cpu "50000 100000" --memory 256M -- \
		python3 -c 'import os, signal, time
n = 0
for i in range(40):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        time.sleep(3)
        os._exit(0)
    n += 1
print("started=%d" % n, flush=True)
os.killpg(0, signal.SIGKILL)' \
		2>&1 | tr -d '\r') || rc=$?
	if grep -q "limits not applied" <<<"$out"; then
		t_skip_test "no usable cgroup controllers here: $(grep "limits not applied" <<<"$out")"
	fi
	local started
	started=$(sed -n 's/^started=//p' <<<"$out")
	[[ -n $started ]] && ((started < 20)) || { echo "$out"; echo "started $started of 40 under pids=20"; return 1; }
	# no pane cgroup of a run is left behind
	timeout 20 "$HEXE" pod run --profile full --pids 20 -- true &
	pid=$!
	wait "$pid"
	local left
	left=$(find /sys/fs/cgroup -maxdepth 8 -type d -path "*hexe-run/pane-$pid" 2>/dev/null)
	t_assert_eq "$left" "" "the run's cgroup is removed"
}

t_run "each profile: output, exit status, identity, host name" test_profiles
t_run "default: own pid namespace and a terminal" test_pid_namespace_and_tty
t_run "killed by a signal: exit status 128+N" test_signal_status
t_run "piped input reaches the program, then end of file" test_stdin_relayed
t_run "bad input: usage errors name the option and the accepted forms" test_bad_input
t_run "limits hold, and the run's cgroup is removed" test_limits
