#!/usr/bin/env bash
# POD teardown, row 21 of POD_CHECKLIST.md, for every profile: a pane's
# processes die with it (payload exit, `kill -9` of its pod), and survive
# the death of a mux or of the ses. "doc³" for none and minimal: without a
# pid namespace only a cgroup can end leftover jobs. As root; the twin
# 13_teardown_65534.sh runs the same as uid 65534 (podlib.sh).
source "$(dirname "$0")/podlib.sh"

# A `nohup` job's unique command line: "sleep 2999.<n>".
job() { # KIND PROFILE
	local n
	case $2 in none) n=1 ;; minimal) n=2 ;; default) n=3 ;; balanced) n=4 ;; full) n=5 ;; esac
	echo "sleep 29$1$n.$TOK"
}

# Where the pane has no pid namespace, its leftovers are doc³: they
# survive unless the pane had a cgroup (limits, or minimal's membership
# cgroup where this host and user allow one).
had_cgroup() { # SESSION-LOG
	grep -q " cgroup: " "$1"
}

job_running() { # CMDLINE
	[[ -n $(pod_pids_with "$1") ]]
}

leftovers_gone() { # TOKEN
	[[ -z $(pod_pids_with "$1") ]]
}

# Payload exit kills `nohup` jobs.
t21_exit() {
	local p=$1 s=t21a-$1 j id
	j=$(job 9 "$p")
	# The payload exits only once the job runs `sleep`: before that, on
	# a loaded machine, nohup may not yet ignore the hangup the exit sends.
	pod_new "$p" "$s" /bin/sh -c 'nohup '"$j"' >/dev/null 2>&1 &
		echo "$HEXE_PANE" > "$1.tmp" && mv "$1.tmp" "$1"
		until [ -e "$1.go" ]; do sleep 0.05; done; exit 0' \
		_ "$RES/$s.up"
	pod_wait_file "$RES/$s.up"
	t_wait_for 10 job_running "$j"
	touch "$RES/$s.up.go"
	pod_wait_gone "$s"
	id=$(cat "$RES/$s.up")
	if pod_has "$p" pidns; then
		t_wait_for 3 leftovers_gone "$j"
		return 0
	fi
	sleep 0.5
	if [[ $p == minimal ]] && [[ -n $id ]] && had_cgroup "$RT/log/pod-$id.log"; then
		# The pod's release emptied the cgroup.
		t_wait_for 3 leftovers_gone "$j"
		return 0
	fi
	local left
	left=$(pod_pids_with "$j")
	pod_kill_pids $left
	[[ -n $left ]] || { echo "doc: a $p pane's nohup job outlived it until now; it did not"; return 1; }
}

# `kill -9` of the pod kills the pane's tree (parent-death signal and
# lifeline of the pane's init).
t21_kill_pod() {
	local p=$1 s=t21b-$1 j pod id
	j=$(job 8 "$p")
	pod_new "$p" "$s" /bin/sh -c 'nohup '"$j"' >/dev/null 2>&1 & echo up > "$1"; wait' _ "$RES/$s.up"
	pod_wait_file "$RES/$s.up"
	id=$(pod_field "$s" 1)
	pod=$(pod_pid_of "$s")
	[[ -n $pod && -n $(pod_pids_with "$j") ]] || { echo "no pod ($pod) or no job"; return 1; }
	kill -KILL "$pod"
	if pod_has "$p" pidns; then
		t_wait_for 3 leftovers_gone "$j"
		return 0
	fi
	# doc³: the job survives the pod. A minimal pane with a cgroup loses
	# it when the stale cgroup is swept (row 20), whenever that is.
	sleep 0.5
	local left
	left=$(pod_pids_with "$j")
	pod_kill_pids $left
	if [[ $p == minimal ]] && had_cgroup "$RT/log/pod-$id.log"; then
		t_skip_test "doc³: this minimal pane had a cgroup; its leftovers go with the sweep of stale cgroups (row 20)"
	fi
	[[ -n $left ]] || { echo "doc: a $p pane's nohup job outlived a kill -9 of its pod until now; it did not"; return 1; }
}

# `kill -9` of the ses leaves every pane running; the next command
# starts a ses that adopts them again.
t21_kill_ses() {
	local p s ses
	for p in "${POD_PROFILES[@]}"; do
		pod_new "$p" "t21c-$p" /bin/sh -c "echo up > '$RES/t21c-$p.up'; exec $(job 7 "$p")"
	done
	for p in "${POD_PROFILES[@]}"; do
		pod_wait_file "$RES/t21c-$p.up"
	done
	ses=$(head -n 1 "$RT/ses.pid")
	kill -KILL "$ses"
	t_wait_for 3 t_gone "$ses"
	sleep 0.3
	for p in "${POD_PROFILES[@]}"; do
		[[ -n $(pod_pids_with "$(job 7 "$p")") ]] || { echo "the $p pane died with the ses"; return 1; }
	done
	for p in "${POD_PROFILES[@]}"; do
		t_wait_for 5 sh -c '"$HEXE" ses list | grep -q "^t21c-$1 "' _ "$p" || {
			"$HEXE" ses list
			return 1
		}
	done
}

# Ending a pane without a pid namespace (or cgroup) signals its whole
# session: job-control jobs are process groups of their own.
t21_jobs() {
	local p=$1 s=t21e-$1 j
	j=$(job 6 "$p")
	pod_new "$p" "$s" /bin/sh -c 'set -m; '"$j"' & echo up > "$1"; wait' _ "$RES/$s.up"
	pod_wait_file "$RES/$s.up"
	t_wait_for 10 job_running "$j"
	"$HEXE" ses kill "$s"
	t_wait_for 5 leftovers_gone "$j" || {
		pod_kill_pids $(pod_pids_with "$j")
		echo "a job in its own process group outlived its pane"
		return 1
	}
}

# `kill -9` of an attached mux leaves its pane running.
t21_kill_mux() {
	local p=$1 s=t21d-$1
	cat >"$T_TMP/$s.ptyh" <<-EOT
	setenv HEXE_VOIDBOX_PROFILE $p
	spawn 80 24 $HEXE mux new -s $s -- /bin/sh
	wait "\$ "
	type "echo alive-\$((40+2))\r"
	wait "alive-42"
	kill KILL
	expect-exit signal:KILL
	EOT
	"$PTYH" --timeout 20 "$T_TMP/$s.ptyh"
	"$HEXE" mux send -t "$s" 'echo still-$((6*7))' Enter
	pod_wait_screen "$s" "still-42"
}

teardown() {
	local p
	for p in "${POD_PROFILES[@]}"; do
		t_pod "row21 payload exit kills nohup jobs [$p]" t21_exit "$p"
		t_pod "row21 kill -9 of the pod kills the pane's tree [$p]" t21_kill_pod "$p"
		t_pod "row21 kill -9 of the mux leaves the pane running [$p]" t21_kill_mux "$p"
	done
	t_pod "row21 closing the pane ends its job-control jobs [none]" t21_jobs none
	t_pod "row21 kill -9 of the ses leaves every pane running [all profiles]" t21_kill_ses
}

POD_PASSES=${POD_PASSES:-root} pod_main teardown
