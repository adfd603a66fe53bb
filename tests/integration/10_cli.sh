#!/usr/bin/env bash
# The scriptable command line: new, list, send, capture, kill, stop, help,
# errors — against the real binary in a private instance.
source "$(dirname "$0")/../lib.sh"
hexe_env_setup

# Wait until the pane's screen contains TEXT.
wait_screen() { # TARGET TEXT
	t_wait_for 5 sh -c '"$HEXE" mux capture -t "$1" | grep -qF -- "$2"' _ "$1" "$2"
}

test_new_detached_and_list() {
	"$HEXE" mux new -d -s work -- /bin/sh
	"$HEXE" mux new -d -s big -x 120 -y 40 -- /bin/sh
	local out
	out=$("$HEXE" ses list)
	t_assert_contains "$out" "work 1 detached 80x24" "default size 80x24"
	t_assert_contains "$out" "big 1 detached 120x40" "-x/-y size"
	"$HEXE" mux send -t big 'stty size' Enter
	wait_screen big "40 120"
}

test_send_keys_and_capture() {
	"$HEXE" mux new -d -s keys -- /bin/sh
	"$HEXE" mux send -t keys 'echo "one two"' Enter
	wait_screen keys "one two"
	# C-c interrupts a running command; key names are keys.
	"$HEXE" mux send -t keys 'sleep 30' Enter
	sleep 0.2
	"$HEXE" mux send -t keys C-c
	"$HEXE" mux send -t keys 'echo after-$((1+1))' Enter
	wait_screen keys "after-2"
	# A word that is not a key name is literal text: "Enterprise".
	"$HEXE" mux send -t keys 'echo' Space 'Enterprise' Enter
	wait_screen keys "Enterprise"
}

test_capture_trims_and_scrollback() {
	"$HEXE" mux new -d -s sb -- /bin/sh
	"$HEXE" mux send -t sb 'seq 1 3000' Enter
	wait_screen sb "3000"
	local screen hist
	screen=$("$HEXE" mux capture -t sb)
	t_assert_eq "$(printf '%s\n' "$screen" | wc -l)" 24 "one line per row"
	if printf '%s\n' "$screen" | grep -q ' $'; then
		echo "trailing blanks were not trimmed"; return 1
	fi
	hist=$("$HEXE" mux capture -t sb -S 2000)
	t_assert_eq "$(printf '%s\n' "$hist" | wc -l)" 2024 "2000 history lines + 24 rows"
	# The history ends right where the screen starts.
	t_assert_eq "$(printf '%s\n' "$hist" | sed -n 2025p)" "" "nothing after"
	t_assert_contains "$(printf '%s\n' "$hist" | head -n 1)" "$(( $(printf '%s\n' "$screen" | head -n 1) - 2000 ))" "first history line"
	# tmux users' -S -N means the same.
	t_assert_eq "$("$HEXE" mux capture -t sb -S -5 | wc -l)" 29 "-S -5"
}

test_default_scrollback_10000() {
	"$HEXE" mux new -d -s deep -- /bin/sh
	"$HEXE" mux send -t deep 'seq 1 12000' Enter
	wait_screen deep "12000"
	local first
	first=$("$HEXE" mux capture -t deep -S 20000 | head -n 1)
	# 10000 lines of history kept: the oldest is the 24 screen rows and
	# 10000 history lines back from the end.
	t_assert_eq "$("$HEXE" mux capture -t deep -S 20000 | wc -l)" 10024 "10000 history lines"
	[[ $first =~ ^[0-9]+$ ]] || { echo "unexpected first line: $first"; return 1; }
}

test_pane_target() {
	"$HEXE" mux new -d -s tgt -- /bin/sh
	local id
	id=$("$HEXE" pod list | awk '$2 == "tgt" { print $1 }')
	[[ -n $id ]]
	"$HEXE" mux send -t "tgt:$id" 'echo via-pane-id' Enter
	wait_screen "tgt:$id" "via-pane-id"
	local err
	if err=$("$HEXE" mux capture -t tgt:9999 2>&1); then
		echo "capture of a missing pane succeeded"; return 1
	fi
	t_assert_contains "$err" 'session "tgt" has no pane 9999' "error names the pane"
	if err=$("$HEXE" mux send -t nosuch x 2>&1); then
		echo "send to a missing session succeeded"; return 1
	fi
	t_assert_contains "$err" 'no session named "nosuch"' "error names the session"
}

test_pod_list() {
	"$HEXE" mux new -d -s pl -- /bin/sh
	local line pid
	line=$("$HEXE" pod list | awk '$2 == "pl"')
	read -r _ _ pid _ state _ <<<"$line"
	t_assert_contains "$line" " running " "state"
	kill -0 "$pid"
	t_assert_contains "$(tr '\0' ' ' </proc/"$pid"/cmdline)" "/bin/sh" "pid is the pane's child"
	# The cwd follows the shell.
	"$HEXE" mux send -t pl 'cd /usr/share' Enter
	t_wait_for 5 sh -c '"$HEXE" pod list | awk '\''$2 == "pl" { print $4 }'\'' | grep -qx /usr/share'
}

test_kill_session() {
	"$HEXE" mux new -d -s doomed -- /bin/sh
	local pid podpid
	pid=$("$HEXE" pod list | awk '$2 == "doomed" { print $3 }')
	podpid=$("$HEXE" pod list | awk '$2 == "doomed" { sub("pod=", "", $7); print $7 }')
	"$HEXE" ses kill doomed
	if "$HEXE" ses list | grep -q '^doomed '; then
		echo "session still listed"; return 1
	fi
	t_wait_for 3 t_gone "$pid"
	t_wait_for 3 t_gone "$podpid"
	local err
	if err=$("$HEXE" ses kill doomed 2>&1); then
		echo "second kill succeeded"; return 1
	fi
	t_assert_contains "$err" 'no session named "doomed"' "error"
}

test_exit_ends_session() {
	"$HEXE" mux new -d -s brief -- /bin/sh
	"$HEXE" mux send -t brief 'exit' Enter
	t_wait_for 5 sh -c '! "$HEXE" ses list | grep -q "^brief "'
}

test_bad_command_fails_clearly() {
	local err
	if err=$("$HEXE" mux new -d -s nope -- /nonexistent/prog 2>&1); then
		echo "new with a missing program succeeded"; return 1
	fi
	t_assert_contains "$err" "/nonexistent/prog" "names the program"
	t_assert_contains "$err" "No such file or directory" "names the errno"
	if "$HEXE" ses list | grep -q '^nope '; then
		echo "failed session is listed"; return 1
	fi
}

test_duplicate_and_bad_names() {
	"$HEXE" mux new -d -s dup -- /bin/sh
	local err
	if err=$("$HEXE" mux new -d -s dup -- /bin/sh 2>&1); then
		echo "duplicate accepted"; return 1
	fi
	t_assert_contains "$err" "duplicate session: dup" "duplicate"
	if err=$("$HEXE" mux new -d -s 'a:b' -- /bin/sh 2>&1); then
		echo "bad name accepted"; return 1
	fi
	t_assert_contains "$err" "invalid session name" "bad name"
	# Unnamed sessions get the first free number.
	"$HEXE" mux new -d -- /bin/sh
	"$HEXE" ses list | grep -q '^0 '
}

test_help_and_usage() {
	local c out
	for c in "mux new" "mux attach" "mux send" "mux capture" "ses list" \
		"ses kill" "ses stop" "pod list"; do
		# shellcheck disable=SC2086
		out=$("$HEXE" $c --help)
		t_assert_contains "$out" "usage: hexe $c" "--help of $c"
	done
	out=$("$HEXE" --help)
	t_assert_contains "$out" "hexe mux new" "top-level help"
	local rc=0
	out=$("$HEXE" mux send 2>&1) || rc=$?
	t_assert_eq "$rc" 2 "usage error status"
	t_assert_contains "$out" "usage: hexe mux send" "usage on stderr"
	rc=0
	out=$("$HEXE" frobnicate 2>&1) || rc=$?
	t_assert_eq "$rc" 2 "unknown command status"
	t_assert_contains "$out" 'unknown command "frobnicate"' "unknown command"
	rc=0
	out=$("$HEXE" mux new -d -x 0 2>&1) || rc=$?
	t_assert_eq "$rc" 2 "bad -x"
	t_assert_contains "$out" "-x: expected a number from 2 to 10000" "bad -x message"
	rc=0
	out=$("$HEXE" mux new -s x </dev/null 2>&1) || rc=$?
	t_assert_eq "$rc" 1 "attach without a terminal"
	t_assert_contains "$out" "needs a terminal" "no tty message"
}

test_pane_environment() {
	FOO_FROM_CLIENT=kept HEXE_SECRET_THING=leak HEXE_LOG_LEVEL=info \
		"$HEXE" mux new -d -s envs -- /bin/sh
	"$HEXE" mux send -t envs 'env | sort > "$HOME/pane.env"; echo done-env' Enter
	wait_screen envs "done-env"
	local env id
	env=$(cat "$HOME/pane.env")
	id=$("$HEXE" pod list | awk '$2 == "envs" { print $1 }')
	t_assert_contains "$env" "FOO_FROM_CLIENT=kept" "client env passes"
	t_assert_contains "$env" "TERM=xterm-256color" "TERM"
	t_assert_contains "$env" "HEXE_INSTANCE=$HEXE_INSTANCE" "HEXE_INSTANCE"
	t_assert_contains "$env" "HEXE_SESSION=envs" "HEXE_SESSION"
	t_assert_contains "$env" "HEXE_PANE=$id" "HEXE_PANE"
	local extra
	extra=$(grep '^HEXE_' <<<"$env" | grep -vE '^HEXE_(INSTANCE|SESSION|PANE)=' || true)
	t_assert_eq "$extra" "" "no other HEXE_ variable"
}

test_logs_exist() {
	"$HEXE" mux new -d -s logs -- /bin/sh
	local rt=$XDG_RUNTIME_DIR/hexe/$HEXE_INSTANCE id
	id=$("$HEXE" pod list | awk '$2 == "logs" { print $1 }')
	t_wait_for 3 test -s "$rt/log/ses.log"
	t_wait_for 3 test -s "$rt/log/pod-$id.log"
	grep -q "child .* on /dev/pts/" "$rt/log/pod-$id.log"
}

test_stop_ends_everything() {
	"$HEXE" mux new -d -s s1 -- /bin/sh
	"$HEXE" mux new -d -s s2 -- /bin/sh
	local pids rt=$XDG_RUNTIME_DIR/hexe/$HEXE_INSTANCE
	pids="$(cat "$rt"/*.pid) $("$HEXE" pod list | awk '{ print $3 }')"
	"$HEXE" ses stop
	local p
	for p in $pids; do
		t_wait_for 3 t_gone "$p"
	done
	[[ ! -e $rt/ses.sock ]]
}

t_run "new -d, size, list" test_new_detached_and_list
t_run "send keys and key names" test_send_keys_and_capture
t_run "capture trims blanks, -S prepends history" test_capture_trims_and_scrollback
t_run "scrollback keeps 10000 lines" test_default_scrollback_10000
t_run "NAME:PANE targets and errors" test_pane_target
t_run "pod list: pid, cwd, state" test_pod_list
t_run "ses kill ends the session's pods" test_kill_session
t_run "shell exit ends the session" test_exit_ends_session
t_run "a missing program is a clear error" test_bad_command_fails_clearly
t_run "duplicate and invalid names" test_duplicate_and_bad_names
t_run "--help everywhere, usage errors" test_help_and_usage
t_run "pane environment" test_pane_environment
t_run "ses and pod logs" test_logs_exist
t_run "ses stop ends daemon and pods" test_stop_ends_everything
