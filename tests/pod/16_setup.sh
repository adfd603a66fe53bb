#!/usr/bin/env bash
# POD setup details of ARCHITECTURE.md §6 beyond the checklist rows: the
# failure policy (a namespace that cannot be made refuses the pane with
# one line naming the step and the errno), the cwd and $HOME notices, the
# cwd under /tmp bound back in, and balanced's X11 and ssh-agent sockets.
# As root; the twin 17_setup_65534.sh runs the same as uid 65534.
source "$(dirname "$0")/podlib.sh"

# A user namespace that cannot be made: the pane does not start
# unprotected; it says why, and where to look.
t_ns_refused() {
	local p=$1 inst=$HEXE_INSTANCE-nons out
	# The whole instance runs in a user namespace whose own limit of
	# nested user namespaces is 0 (as bwrap --disable-userns does).
	pod_on_exit "for f in '$XDG_RUNTIME_DIR/hexe/$inst'/*.pid; do kill -KILL \$(head -n 1 \"\$f\") 2>/dev/null; done"
	out=$(HEXE_INSTANCE=$inst HEXE_VOIDBOX_PROFILE=$p unshare -U -r sh -c '
		echo 0 >/proc/sys/user/max_user_namespaces || exit 3
		"$HEXE" mux new -d -s nons -- /bin/sh -c "echo UNPROTECTED; sleep 5"
		sleep 0.5
		"$HEXE" mux capture -t nons 2>&1
		"$HEXE" ses stop >/dev/null 2>&1
		true' 2>&1)
	[[ $out != *UNPROTECTED* ]] || { echo "the pane ran without its namespaces:"; echo "$out"; return 1; }
	# ses answers the client with the pod's one line.
	t_assert_contains "$out" "clone (user" "the step"
	t_assert_contains "$out" "namespaces): No space left on device; run \`hexe pod check\`" "errno and the hint"
	[[ $(grep -c 'clone (user' <<<"$out") == 1 ]]
}

# A cwd the pane cannot enter as its own uid: it starts in `/`.
notices_via_pod() { # PROFILE: through `hexe pod`, which takes --cwd
	local p=$1 dir=$T_TMP/closed-$1 rt=$T_TMP/rt-n-$1 pid
	mkdir -m 0000 "$dir"
	chmod 0000 "$dir"
	mkdir -m 0700 "$rt" "$rt/log"
	HOME=$dir "$HEXE" pod --instance="$HEXE_INSTANCE" --runtime="$rt" --session=n --id=901 \
		--cwd="$dir" --profile="$p" -- \
		/bin/sh -c 'pwd > "$1/n-$2.tmp" && mv "$1/n-$2.tmp" "$1/n-$2.pwd"' \
		_ "$RES" "$p" >/dev/null 2>&1 &
	pid=$!
	track_pid "$pid"
	pod_wait_file "$RES/n-$p.pwd" 10
	kill -KILL "$pid" 2>/dev/null || true
	if ((POD_ROOT)) && [[ $p == none ]]; then
		# doc: root in a none pane enters anything.
		t_expect "$(cat "$RES/n-$p.pwd")" "$dir" "none as root: cwd"
		return 0
	fi
	t_expect "$(cat "$RES/n-$p.pwd")" / "fallback cwd"
}

# The notice itself, on the pane's screen (ses passes the client's cwd).
t_notice_screen() {
	local p=$1 dir=$T_TMP/closed2-$1 s=ns-$1
	mkdir -m 0000 "$dir"
	chmod 0000 "$dir"
	if ((POD_ROOT)) && [[ $p == none ]]; then
		t_skip_test "root in a none pane enters any directory"
	fi
	# The client's cwd is the pane's: start the client from a dir that
	# is closed afterwards, so the client itself could enter it.
	chmod 0700 "$dir"
	(
		cd "$dir" || exit 1
		chmod 0000 "$dir"
		HOME=$dir HEXE_VOIDBOX_PROFILE=$p "$HEXE" mux new -d -s "$s" -x 200 -y 24 -- /bin/sh -c 'pwd; sleep 10'
	)
	pod_wait_screen "$s" "hexe: cannot enter $dir (Permission denied); starting in /"
	pod_wait_screen "$s" "hexe: cannot enter \$HOME $dir (Permission denied)"
	[[ $(pod_screen "$s" | grep -c '^/$') == 1 ]] || { pod_screen "$s"; return 1; }
	"$HEXE" ses kill "$s"
}

# A cwd under /tmp comes back in the fresh /tmp (balanced, full); the
# rest of the host's /tmp stays out.
t_tmp_cwd() {
	local p=$1 dir=/tmp/hexe-podcwd-$1-$TOK s=c-$1
	mkdir -m 0777 "$dir"
	chmod 0777 "$dir"
	pod_on_exit "rm -rf '$dir'"
	echo host >"$dir/from-host"
	(cd "$dir" && pod_new "$p" "$s" /bin/sh -c 'pwd > "$1/$2.pwd"; cat from-host > "$1/$2.seen"; echo pane > from-pane; ls /tmp > "$1/$2.ls"' _ "$RES" "$s")
	pod_wait_file "$RES/$s.ls"
	pod_wait_gone "$s"
	t_expect "$(cat "$RES/$s.pwd")" "$dir" "cwd"
	t_expect "$(cat "$RES/$s.seen")" host "host file in the cwd"
	t_expect "$(cat "$dir/from-pane")" pane "pane's file in the cwd, on the host"
	t_expect "$(cat "$RES/$s.ls")" "hexe-podcwd-$p-$TOK" "only the cwd's branch of /tmp"
}

# balanced binds the X11 socket of $DISPLAY and $SSH_AUTH_SOCK into its
# fresh /tmp; full binds neither.
t_sockets() {
	local p=$1 n x11 agentdir agent s=k-$1 created=
	local try
	for try in 1 2 3 4 5 6 7 8; do
		n=$((900 + RANDOM % 90))
		x11=/tmp/.X11-unix/X$n
		[[ -e $x11 ]] || break
	done
	[[ ! -e $x11 ]] || t_skip_test "no free display number in 900-989 (/tmp/.X11-unix)"
	if [[ ! -d /tmp/.X11-unix ]]; then
		mkdir -m 1777 /tmp/.X11-unix 2>/dev/null || t_skip_test "cannot make /tmp/.X11-unix as uid $POD_UID"
		created=/tmp/.X11-unix
	fi
	[[ -w /tmp/.X11-unix ]] || t_skip_test "/tmp/.X11-unix is not writable for uid $POD_UID"
	agentdir=/tmp/hexe-ssh-$p-$TOK
	mkdir -m 0755 "$agentdir"
	agent=$agentdir/agent.sock
	pod_on_exit "rm -rf '$agentdir' '$x11'${created:+; rmdir '$created'}"
	pod_listeners "$T_TMP/port-$p" "hexe-podtest-k$p-$TOK" "$x11"
	"$POD_PY" -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$agent"
	chmod 0777 "$x11" "$agent"
	DISPLAY=:$n SSH_AUTH_SOCK=$agent pod_new "$p" "$s" "$POD_PY" -c '
import errno, os, socket, sys
out = []
for name in ("DISPLAY", "SSH_AUTH_SOCK"):
    path = os.environ[name]
    if name == "DISPLAY":
        path = "/tmp/.X11-unix/X" + path[1:]
    s = socket.socket(socket.AF_UNIX)
    try:
        s.connect(path)
        out.append(name + "=ok")
    except OSError as e:
        out.append(name + "=" + errno.errorcode[e.errno])
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write("\n".join(out) + "\n")
os.replace(sys.argv[1] + ".tmp", sys.argv[1])
' "$RES/$s.txt"
	pod_wait_file "$RES/$s.txt"
	if [[ $p == balanced ]]; then
		t_expect "$(res "$RES/$s.txt" DISPLAY)" ok "X11 socket"
		# The agent socket: nobody listens, but it is there.
		t_expect "$(res "$RES/$s.txt" SSH_AUTH_SOCK)" ECONNREFUSED "ssh agent socket present"
	else
		t_expect "$(res "$RES/$s.txt" DISPLAY)" ENOENT "X11 socket"
		t_expect "$(res "$RES/$s.txt" SSH_AUTH_SOCK)" ENOENT "ssh agent socket"
	fi
}

# A cwd under /tmp that holds hexe's runtime dir is bound back in, and
# must not bring hexe's sockets back with it (row 10).
t_runtime_under_cwd() {
	local base rt pid
	base=$(mktemp -d /tmp/hexe-rtmask.XXXXXX)
	pod_on_exit "rm -rf '$base'"
	chmod 0755 "$base"
	rt=$base/rt
	# listable by the pane's uid, so only the mask can hide it
	mkdir -m 0755 "$rt" "$rt/log"
	"$HEXE" pod --instance="$HEXE_INSTANCE" --runtime="$rt" --session=m --id=902 \
		--cwd="$base" --profile=full -- /bin/sh -c \
		'{ pwd; ls -a "$1"; } > "$2/rtmask.tmp"; mv "$2/rtmask.tmp" "$2/rtmask.ls"' \
		_ "$rt" "$RES" >/dev/null 2>&1 &
	pid=$!
	track_pid "$pid"
	pod_wait_file "$RES/rtmask.ls" 10
	kill -KILL "$pid" 2>/dev/null || true
	t_assert_contains "$(cat "$RES/rtmask.ls")" "$base" "the cwd was bound back in"
	if grep -q "pod-902.sock\|^log$" "$RES/rtmask.ls"; then
		echo "hexe's runtime dir is visible in the pane:"
		cat "$RES/rtmask.ls"
		return 1
	fi
}

# Where the hierarchy is delegated the pane's cgroup files are its own:
# the cgroupfs is read-only, so it cannot lift its limits.
t_cgroupfs_ro() {
	local p=$1 out
	[[ -d /sys/fs/cgroup ]] || t_skip_test "no /sys/fs/cgroup here"
	out=$(cd / && timeout 20 "$HEXE" pod run --profile "$p" -- \
		sh -c 'for f in /sys/fs/cgroup/cgroup.procs /sys/fs/cgroup/*/cgroup.procs; do [ -e "$f" ] && { echo "tried $f"; : > "$f"; break; }; done' 2>&1 | tr -d '\r')
	# ": >" opens for writing and writes nothing: harmless where it is
	# allowed, "Read-only file system" where the mount is read-only.
	t_assert_contains "$out" "tried /sys/fs/cgroup/" "$p: a cgroup file was found"
	t_assert_contains "$out" "Read-only file system" "$p: writing a cgroup file"
}

setup_rows() {
	local p
	for p in minimal full; do
		t_pod "namespace refused: pane refused with step and errno [$p]" t_ns_refused "$p"
	done
	for p in "${POD_PROFILES[@]}"; do
		t_pod "cwd it cannot enter: / [$p]" notices_via_pod "$p"
	done
	for p in minimal full; do
		t_pod "cwd and \$HOME notices on screen [$p]" t_notice_screen "$p"
	done
	for p in balanced full; do
		t_pod "cwd under /tmp bound back in [$p]" t_tmp_cwd "$p"
		t_pod "X11 and ssh-agent sockets [$p]" t_sockets "$p"
	done
	t_pod "row10 runtime dir masked under a bound-back cwd [full]" t_runtime_under_cwd
	for p in default balanced; do
		t_pod "row18 cgroupfs read-only [$p]" t_cgroupfs_ro "$p"
	done
}

POD_PASSES=${POD_PASSES:-root} pod_main setup_rows
