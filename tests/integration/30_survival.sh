#!/usr/bin/env bash
# What survives what: the daemon killed with SIGKILL, pods re-adopted by the
# next command (also across protocol versions), one daemon for racing
# commands, and the process names `ps` shows.
source "$(dirname "$0")/../lib.sh"
hexe_env_setup

RT=$XDG_RUNTIME_DIR/hexe/$HEXE_INSTANCE

wait_screen() { # TARGET TEXT
	t_wait_for 5 sh -c '"$HEXE" mux capture -t "$1" | grep -qF -- "$2"' _ "$1" "$2"
}

test_kill_ses_readopts() {
	"$HEXE" mux new -d -s alpha -- /bin/sh
	"$HEXE" mux new -d -s beta -x 100 -y 30 -- /bin/sh
	"$HEXE" mux send -t alpha 'echo alpha-was-here' Enter
	"$HEXE" mux send -t beta 'seq 1 100' Enter
	wait_screen alpha alpha-was-here
	wait_screen beta 100
	local before_a before_b list_before pods_before ses_pid
	before_a=$("$HEXE" mux capture -t alpha)
	before_b=$("$HEXE" mux capture -t beta -S 50)
	list_before=$("$HEXE" ses list)
	pods_before=$("$HEXE" pod list | awk '{ print $1, $2, $3 }')
	ses_pid=$(cat "$RT/ses.pid")
	kill -9 "$ses_pid"
	t_wait_for 3 t_gone "$ses_pid"
	# Every pane still runs without a daemon.
	local p
	for p in $(awk '{ print $3 }' <<<"$pods_before"); do
		kill -0 "$p"
	done
	# The next command starts a new daemon that re-adopts them all.
	t_assert_eq "$("$HEXE" ses list)" "$list_before" "sessions restored"
	[[ $(cat "$RT/ses.pid") != "$ses_pid" ]]
	t_assert_eq "$("$HEXE" mux capture -t alpha)" "$before_a" "alpha's screen"
	t_assert_eq "$("$HEXE" mux capture -t beta -S 50)" "$before_b" "beta's screen and history"
	t_assert_eq "$("$HEXE" pod list | awk '{ print $1, $2, $3 }')" "$pods_before" "same pods"
	# And they still work.
	"$HEXE" mux send -t alpha 'echo after-restart' Enter
	wait_screen alpha after-restart
	grep -q "re-adopted pane" "$RT/log/ses.log"
}

test_attach_after_ses_kill() {
	"$HEXE" mux new -d -s gamma -x 80 -y 23 -- /bin/sh
	"$HEXE" mux send -t gamma 'echo gamma-screen' Enter
	wait_screen gamma gamma-screen
	kill -9 "$(cat "$RT/ses.pid")"
	cat >"$T_TMP/g.ptyh" <<-EOT
	spawn 80 24 $HEXE mux attach gamma
	wait "gamma-screen"
	type "echo typed-after\r"
	wait "typed-after"
	key C-M-d
	expect-exit 0
	EOT
	"$PTYH" --timeout 30 "$T_TMP/g.ptyh"
}

test_attached_mux_survives_pod_restart_of_ses() {
	# An attached mux loses its daemon: it says so and exits; the pane lives.
	"$HEXE" mux new -d -s delta -x 80 -y 23 -- /bin/sh
	cat >"$T_TMP/d.ptyh" <<-EOT
	spawn 80 24 $HEXE mux attach delta
	wait "\$ "
	sh "kill -9 \$(cat $RT/ses.pid)"
	expect-exit 1
	EOT
	"$PTYH" --timeout 30 "$T_TMP/d.ptyh"
	"$HEXE" ses list | grep -q '^delta 1 detached'
}

test_racing_commands_start_one_daemon() {
	"$HEXE" ses stop >/dev/null 2>&1 || true
	local i pids=()
	for i in 1 2 3 4 5 6; do
		"$HEXE" mux new -d -s "race$i" -- /bin/sh &
		pids+=($!)
	done
	for i in "${pids[@]}"; do
		wait "$i"
	done
	t_assert_eq "$("$HEXE" ses list | wc -l)" 6 "six sessions"
	local n
	n=$(ps -eo args | grep -c "^hexe ses --instance $HEXE_INSTANCE\$" || true)
	t_assert_eq "$n" 1 "one daemon"
}

test_process_names() {
	"$HEXE" mux new -d -s names -- /bin/sh
	local ses_pid pod_pid
	ses_pid=$(cat "$RT/ses.pid")
	pod_pid=$("$HEXE" pod list | awk '$2 == "names" { sub("pod=", "", $7); print $7 }')
	t_assert_eq "$(tr '\0' ' ' </proc/"$ses_pid"/cmdline)" "hexe ses --instance $HEXE_INSTANCE " "ses cmdline"
	t_assert_contains "$(tr '\0' ' ' </proc/"$pod_pid"/cmdline)" "hexe pod --instance $HEXE_INSTANCE " "pod cmdline"
	# Both are detached from any terminal and session of ours.
	t_assert_eq "$(ps -o tty= -p "$ses_pid" | tr -d ' ')" "?" "ses has no tty"
	t_assert_eq "$(ps -o tty= -p "$pod_pid" | tr -d ' ')" "?" "pod has no tty"
	t_assert_eq "$(readlink /proc/"$ses_pid"/fd/0)" "/dev/null" "ses stdin"
	t_assert_eq "$(readlink /proc/"$pod_pid"/fd/1)" "/dev/null" "pod stdout"
	# The exe is the same binary.
	t_assert_eq "$(readlink /proc/"$pod_pid"/exe)" "$(readlink -f "$HEXE")" "pod exe"
}

test_newer_compatible_ses_adopts() {
	local newer=$HEXE_BUILD_DIR/compat/v3/hexe
	[[ -x $newer ]] || t_skip_test "no $newer (make test-bins builds it)"
	"$HEXE" mux new -d -s old -- /bin/sh
	"$HEXE" mux send -t old 'echo from-v1' Enter
	wait_screen old from-v1
	kill -9 "$(cat "$RT/ses.pid")"
	# A protocol-3 ses that still accepts protocol 2 re-adopts the v2 pod.
	t_assert_contains "$("$newer" ses list)" "old 1 detached" "adopted"
	"$newer" mux capture -t old | grep -q from-v1
	"$newer" mux send -t old 'echo via-v2' Enter
	t_wait_for 5 sh -c '"$1" mux capture -t old | grep -q via-v2' _ "$newer"
	# Its mux reads the older pod directly: typing works with ses stopped.
	local rc=0
	"$PTYH" --timeout 30 - <<-EOT || rc=$?
	spawn 80 24 $newer mux attach old
	wait "via-v2"
	sh "kill -STOP \$(cat $RT/ses.pid)"
	type "echo typed-\$((2+2))\r"
	wait "typed-4" 3000
	sh "kill -CONT \$(cat $RT/ses.pid)"
	key C-M-d
	expect-exit 0
	EOT
	kill -CONT "$(cat "$RT/ses.pid")"
	((rc == 0))
	"$newer" ses stop
}

test_incompatible_ses_says_why() {
	local incompat=$HEXE_BUILD_DIR/compat/v4/hexe
	[[ -x $incompat ]] || t_skip_test "no $incompat (make test-bins builds it)"
	"$HEXE" mux new -d -s ancient -- /bin/sh
	local id pod_pid
	id=$("$HEXE" pod list | awk '$2 == "ancient" { print $1 }')
	pod_pid=$("$HEXE" pod list | awk '$2 == "ancient" { sub("pod=", "", $7); print $7 }')
	kill -9 "$(cat "$RT/ses.pid")"
	local out
	out=$("$incompat" pod list)
	t_assert_contains "$out" "$id - - - unadoptable" "listed as unadoptable"
	t_assert_contains "$out" "protocol 2" "says which protocol"
	grep -q "cannot adopt pod $id" "$RT/log/ses.log"
	# The pane was not harmed.
	kill -0 "$pod_pid"
	kill -9 "$(cat "$RT/ses.pid")"
	"$HEXE" ses stop
}

t_run "kill -9 of ses: panes live, next command re-adopts" test_kill_ses_readopts
t_run "attach after the daemon was killed" test_attach_after_ses_kill
t_run "an attached mux losing its daemon exits, pane lives" test_attached_mux_survives_pod_restart_of_ses
t_run "racing commands start one daemon" test_racing_commands_start_one_daemon
t_run "process names, detachment, one binary" test_process_names
t_run "a newer compatible ses adopts older pods" test_newer_compatible_ses_adopts
t_run "an incompatible ses says which pods and why" test_incompatible_ses_says_why
