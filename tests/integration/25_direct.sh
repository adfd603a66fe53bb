#!/usr/bin/env bash
# The mux's own connection to each visible pane's pod: keys and screens
# skip ses, keys go straight into the pane's terminal, keys typed right
# after an action still follow the focus it made, a pane whose pod cannot
# be reached is served through ses, and a pod's death still hangs up its
# pane at once. The mux and the pods of calm panes ask for a short time
# slice; a pod whose pane floods gives it back.
source "$(dirname "$0")/../lib.sh"
hexe_env_setup
RT=$XDG_RUNTIME_DIR/hexe/$HEXE_INSTANCE

ptyh() { "$PTYH" --timeout 40 "$@"; }

# With ses stopped, typing and its echo still work: neither passes
# through it. (Through ses, the keys would wait until it runs again.)
test_typing_does_not_need_ses() {
	cat >"$T_TMP/a.ptyh" <<-EOT
	spawn 80 24 $HEXE mux new -s direct -- /bin/sh
	wait "\$ "
	type "echo warm-\$((1+1))\r"
	wait "warm-2"
	sh "kill -STOP \$(cat $RT/ses.pid)"
	type "echo direct-\$((40+2))\r"
	wait "direct-42" 3000
	sh "kill -CONT \$(cat $RT/ses.pid)"
	key C-M-d
	expect-exit 0
	EOT
	local rc=0
	ptyh "$T_TMP/a.ptyh" || rc=$?
	kill -CONT "$(cat "$RT/ses.pid")"
	return "$rc"
}

# Keys sent in the same breath as a split land in the new pane, which
# has the focus, even though its pod is still starting.
test_keys_follow_a_split_at_once() {
	cat >"$T_TMP/b.ptyh" <<-EOT
	spawn 80 24 $HEXE mux new -s split -- /bin/sh
	wait "\$ "
	key C-M-v
	type "echo right-\$((5*5))\r"
	waitre "│right-25 *\$"
	nottext "$ echo right"
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/b.ptyh"
}

# A pod whose socket is gone (a tmp cleaner, say) cannot be reached: the
# mux shows and types into its pane through ses, and says so in its log.
test_unreachable_pod_goes_through_ses() {
	"$HEXE" mux new -d -s via -x 80 -y 23 -- /bin/sh
	"$HEXE" mux send -t via 'echo before-$((3+4))' Enter
	t_wait_for 5 sh -c '"$HEXE" mux capture -t via | grep -q before-7'
	local id
	id=$("$HEXE" pod list | awk '$2 == "via" { print $1 }')
	[[ -S $RT/pod-$id.sock ]]
	rm "$RT/pod-$id.sock"
	cat >"$T_TMP/c.ptyh" <<-EOT
	spawn 80 24 $HEXE mux attach via
	wait "before-7" 8000
	type "echo via-\$((6*7))\r"
	wait "via-42"
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/c.ptyh"
	grep -q "pane $id: through ses" "$RT/log/mux.log"
}

# Two muxes on one session, both reading the pane from its pod: each
# sees what the other types.
test_two_direct_viewers() {
	"$HEXE" mux new -d -s two -x 80 -y 23 -- /bin/sh
	cat >"$T_TMP/d1.ptyh" <<-EOT
	spawn 80 24 $HEXE mux attach two
	wait "\$ "
	sh "touch $T_TMP/first-up"
	wait "from-second-9" 10000
	type "echo from-first-\$((2*4))\r"
	sh "touch $T_TMP/first-typed"
	wait "from-first-8"
	key C-M-d
	expect-exit 0
	EOT
	cat >"$T_TMP/d2.ptyh" <<-EOT
	sh "while [ ! -e $T_TMP/first-up ]; do sleep 0.05; done"
	spawn 80 24 $HEXE mux attach two
	wait "\$ "
	type "echo from-second-\$((3*3))\r"
	wait "from-second-9"
	sh "while [ ! -e $T_TMP/first-typed ]; do sleep 0.05; done"
	wait "from-first-8"
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/d1.ptyh" &
	local p1=$! rc=0
	ptyh "$T_TMP/d2.ptyh" || rc=$?
	wait "$p1" || rc=$?
	return "$rc"
}

# Helpers for the scripts below, which cannot spell a shell's $.
cat >"$T_TMP/podpid" <<'EOF'
"$HEXE" pod list | awk -v s="$1" '$2 == s { sub("pod=", "", $7); print $7 }'
EOF
cat >"$T_TMP/appears" <<'EOF'
i=0
while [ ! -s "$1" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done
[ -e "$1" ]
EOF
cat >"$T_TMP/ends" <<'EOF'
i=0
while [ -d /proc/$1 ] && ! grep -q '^State:.*Z' /proc/$1/status 2>/dev/null &&
	[ $i -lt 60 ]; do sleep 0.05; i=$((i+1)); done
[ ! -d /proc/$1 ] || grep -q '^State:.*Z' /proc/$1/status
EOF
cat >"$T_TMP/mypid" <<'EOF'
echo $PPID > "$1.tmp" && mv "$1.tmp" "$1"
EOF

# With the pane's pod stopped, a command typed still runs: the keys are
# written to the pane's terminal by the mux itself. (Through the pod they
# would wait until it runs again.)
test_keys_go_straight_to_the_terminal() {
	cat >"$T_TMP/k.ptyh" <<-EOT
	spawn 80 24 $HEXE mux new -s keys -- /bin/sh
	wait "\$ "
	capture POD sh $T_TMP/podpid keys
	sh "echo \${POD} > $T_TMP/keys.pod; kill -STOP \${POD}"
	type "echo yes > $T_TMP/ran\r"
	sh "sh $T_TMP/appears $T_TMP/ran"
	sh "kill -CONT \${POD}"
	wait "echo yes"
	key C-M-d
	expect-exit 0
	EOT
	local rc=0
	ptyh "$T_TMP/k.ptyh" || rc=$?
	[[ ! -s $T_TMP/keys.pod ]] || kill -CONT "$(cat "$T_TMP/keys.pod")" 2>/dev/null || true
	return "$rc"
}

# kill -9 of a pane's pod while a mux shows it: the mux gives the pane's
# terminal back at once, so the pane's shell is hung up and ends, even
# before ses has told the mux that the pane is gone (ses is stopped here).
test_pod_death_hangs_up_with_mux_attached() {
	cat >"$T_TMP/h.ptyh" <<-EOT
	spawn 80 24 $HEXE mux new -s hang -- /bin/sh
	wait "\$ "
	type "sh $T_TMP/mypid $T_TMP/hang.sh\r"
	sh "sh $T_TMP/appears $T_TMP/hang.sh"
	capture POD sh $T_TMP/podpid hang
	capture SH cat $T_TMP/hang.sh
	sh "kill -STOP \$(cat $RT/ses.pid)"
	sh "kill -KILL \${POD}"
	sh "sh $T_TMP/ends \${SH}"
	sh "kill -CONT \$(cat $RT/ses.pid)"
	EOT
	local rc=0 sh
	ptyh "$T_TMP/h.ptyh" || rc=$?
	kill -CONT "$(cat "$RT/ses.pid")"
	sh=$(cat "$T_TMP/hang.sh" 2>/dev/null || true)
	[[ -z $sh ]] || t_gone "$sh" || { echo "the pane's shell $sh outlived its pod"; kill -KILL "$sh"; rc=1; }
	return "$rc"
}

slice_of() { # PID: the scheduler's slice for it, in ns
	awk '$1 == "se.slice" { print $3 }' "/proc/$1/sched" 2>/dev/null
}

# The mux and a calm pane's pod run with a 0.1 ms slice, so that they
# take a CPU as soon as a key wakes them; the pane's shell keeps the
# default; a pod whose pane floods goes back to the default until the
# flood ends.
test_time_slices() {
	local v maj min
	v=$(uname -r)
	maj=${v%%.*} min=${v#*.} min=${min%%[!0-9]*}
	((maj > 6 || (maj == 6 && min >= 12))) ||
		t_skip_test "Linux $v: a task may choose its slice from 6.12 on"
	[[ -n $(slice_of $$) ]] || t_skip_test "this kernel does not show se.slice in /proc/PID/sched"
	cat >"$T_TMP/s.ptyh" <<-EOT
	spawn 80 24 $HEXE mux new -s slices -- /bin/sh
	wait "\$ "
	pid MUX
	sh "echo \${MUX} > $T_TMP/slices.mux"
	type "sh $T_TMP/mypid $T_TMP/slices.sh\r"
	sh "sh $T_TMP/appears $T_TMP/slices.sh"
	sh "sh $T_TMP/podpid slices > $T_TMP/slices.pod"
	sh "cat /proc/\${MUX}/sched /proc/\$(cat $T_TMP/slices.pod)/sched /proc/\$(cat $T_TMP/slices.sh)/sched | grep se.slice > $T_TMP/calm.txt"
	type "timeout 2 yes flood-flood-flood-flood-flood\r"
	sh "sleep 1"
	sh "grep se.slice /proc/\$(cat $T_TMP/slices.pod)/sched > $T_TMP/flood.txt"
	wait "\$ " 5000
	sh "sleep 0.5"
	type "echo calm-again\r"
	wait "calm-again"
	sh "sleep 0.3"
	type "echo after\r"
	wait "after"
	sh "grep se.slice /proc/\$(cat $T_TMP/slices.pod)/sched > $T_TMP/after.txt"
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/s.ptyh"
	local mux pod sh
	read -r _ _ mux < <(sed -n 1p "$T_TMP/calm.txt")
	read -r _ _ pod < <(sed -n 2p "$T_TMP/calm.txt")
	read -r _ _ sh < <(sed -n 3p "$T_TMP/calm.txt")
	t_assert_eq "$mux" 100000 "the mux's slice"
	t_assert_eq "$pod" 100000 "a calm pod's slice"
	[[ $sh != 100000 ]] || { echo "the pane's shell inherited the short slice"; return 1; }
	read -r _ _ pod < "$T_TMP/flood.txt"
	t_assert_eq "$pod" "$sh" "a flooding pod's slice is the default"
	read -r _ _ pod < "$T_TMP/after.txt"
	t_assert_eq "$pod" 100000 "the pod's slice once calm"
}

t_run "typing and its echo do not pass through ses" test_typing_does_not_need_ses
t_run "keys reach the pane's terminal without the pod" test_keys_go_straight_to_the_terminal
t_run "a pod's death hangs up its pane with a mux attached" test_pod_death_hangs_up_with_mux_attached
t_run "keys typed with a split go to the new pane" test_keys_follow_a_split_at_once
t_run "a pod that cannot be reached is served through ses" test_unreachable_pod_goes_through_ses
t_run "two muxes both read the pane from its pod" test_two_direct_viewers
t_run "short time slices for the mux and calm pods" test_time_slices
