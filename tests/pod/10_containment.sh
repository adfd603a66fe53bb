#!/usr/bin/env bash
# POD containment, rows 1-5, 7-15, 25 and 26 of POD_CHECKLIST.md, for
# every profile where a row applies: "P" rows must hold, "doc" rows assert
# the documented behaviour so that it cannot change silently. As root and
# as 65534 (podlib.sh).
#
# One pane per profile runs tests/pod/probe.py, which writes what it saw to
# $RES/<profile>.txt and waits; meanwhile the host side is looked at (mount
# table, listeners), then the panes are released and what they left behind
# is checked. Each row is then one test per profile.
source "$(dirname "$0")/podlib.sh"

# ---- the probe run, once per pass ----

probe_all() {
	local p q m
	pod_listeners "$T_TMP/port" "hexe-podtest-$TOK" "$XDG_RUNTIME_DIR/hexe-podtest.sock"
	read -r q m < <(pod_sysv)
	echo x >"/tmp/hexe-podtest-$TOK"
	echo x >"/dev/shm/hexe-podtest-$TOK"
	pod_on_exit "rm -f '/tmp/hexe-podtest-$TOK' '/dev/shm/hexe-podtest-$TOK' /tmp/podfile-*-$TOK"
	cat >"$RES/fixtures" <<-EOF
	tok=$TOK
	hostpid=$$
	port=$(cat "$T_TMP/port")
	abstract=hexe-podtest-$TOK
	xdgsock=$XDG_RUNTIME_DIR/hexe-podtest.sock
	sessock=$RT/ses.sock
	msqid=$q
	shmid=$m
	tmpmarker=/tmp/hexe-podtest-$TOK
	shmmarker=/dev/shm/hexe-podtest-$TOK
	suid=${POD_FIX_SUID:-}
	EOF
	cp "$POD_TESTDIR/probe.py" "$T_TMP/probe.py"
	chmod 0644 "$T_TMP/probe.py" "$RES/fixtures"
	hostname >"$T_TMP/hostname.before"
	cat /proc/self/mountinfo >"$T_TMP/mi.before"
	findmnt -no PROPAGATION / >"$T_TMP/propagation"
	# Extra fds held by the client (and so by a ses it starts): a pane
	# must not see them (row 25). Private HEXE_* variables must not
	# reach it either (row 26).
	exec 7>"$T_TMP/extra7" 8>"$T_TMP/extra8"
	for p in "${POD_PROFILES[@]}"; do
		HEXE_SECRET_TEST=1 HEXE_LOG_LEVEL=info pod_new "$p" "probe-$p" /bin/sh -c \
			'ls /proc/self/fd | tr "\n" " " > "$1/$2.fds"; env > "$1/$2.env"; exec "$4" "$3" "$2" "$1"' \
			_ "$RES" "$p" "$T_TMP/probe.py" "$POD_PY" || echo "mux new ($p) failed" >>"$T_TMP/probe.errors"
	done
	exec 7>&- 8<&-
	for p in "${POD_PROFILES[@]}"; do
		pod_wait_file "$RES/$p.done" 30 || {
			echo "probe in $p did not finish" >>"$T_TMP/probe.errors"
			pod_screen "probe-$p" >>"$T_TMP/probe.errors" 2>&1
		}
		pod_field "probe-$p" 1 >"$RES/$p.pane"
	done
	cat /proc/self/mountinfo >"$T_TMP/mi.during"
	hostname >"$T_TMP/hostname.during"
	for p in "${POD_PROFILES[@]}"; do
		touch "$RES/$p.release"
	done
	for p in "${POD_PROFILES[@]}"; do
		pod_wait_gone "probe-$p" 10 || echo "pane probe-$p did not end" >>"$T_TMP/probe.errors"
	done
	hostname >"$T_TMP/hostname.after"
	: >"$T_TMP/probe.finished"
}

# Each row test starts here: the probe's results for PROFILE.
need_probe() { # PROFILE
	[[ -f $T_TMP/probe.finished ]] || { echo "the probe run failed"; cat "$T_TMP/probe.errors" 2>/dev/null; return 1; }
	[[ -f $RES/$1.txt ]] || {
		echo "no results from the $1 pane"
		cat "$T_TMP/probe.errors" 2>/dev/null
		return 1
	}
	F=$RES/$1.txt
}

ZERO=0000000000000000

row01() { # no caps, NNP on
	local p=$1
	need_probe "$p"
	if [[ $p == none ]]; then
		# doc: none changes nothing: no no_new_privs, the host's
		# bounding set.
		t_expect "$(res "$F" r1.NoNewPrivs)" 0 "none: NoNewPrivs"
		[[ $(res "$F" r1.CapBnd) != "$ZERO" ]] || { echo "none: empty bounding set"; return 1; }
		return 0
	fi
	local k
	for k in CapEff CapPrm CapInh CapBnd CapAmb; do
		t_expect "$(res "$F" r1.$k)" "$ZERO" "$k"
	done
	t_expect "$(res "$F" r1.NoNewPrivs)" 1 NoNewPrivs
}

row02() { # a root-run pod is not host root
	local p=$1 owner
	need_probe "$p"
	owner=$(stat -c %u "$RES/$p.owned")
	if [[ $p == none ]]; then
		# doc: a none pane is its user, root included.
		t_expect "$owner" "$POD_UID" "none: file owner on the host"
		t_expect "$(res "$F" r2.etc_writable)" "$( ((POD_ROOT)) && echo yes || echo no)" "none: /etc writable"
		return 0
	fi
	t_expect "$(res "$F" r2.etc_touch)" EACCES "touch /etc/podtest"
	t_expect "$owner" "$POD_PANE_UID" "file created in the pane, owner on the host"
	t_expect "$(res "$F" r2.uid)" "$POD_PANE_UID" "uid inside"
	t_expect "$(res "$F" r2.euid)" "$POD_PANE_UID" "euid inside"
}

row03() { # setuid does not elevate
	local p=$1
	[[ -n ${POD_FIX_SUID:-} ]] || t_skip_test "needs root to make a setuid-root binary (run the suite as root)"
	need_probe "$p"
	if [[ $p == none ]]; then
		# doc: in none a setuid-root binary gives root.
		t_expect "$(res "$F" r3.suid_euid)" 0 "none: euid of setuid-root id"
		return 0
	fi
	# Root is not mapped in the pane's user namespace, so the kernel
	# ignores the setuid bit whatever no_new_privs says.
	t_expect "$(res "$F" r3.suid_euid)" "$POD_PANE_UID" "euid of setuid-root id"
}

row04() { # no privileges back through a nested user namespace
	local p=$1
	need_probe "$p"
	if [[ $(res "$F" r4.nested) == refused ]]; then
		return 0 # nested user namespaces refused: stronger still
	fi
	[[ $(res "$F" r4.umount_tmp) != 0 ]] || { echo "umount /tmp succeeded in a nested userns"; return 1; }
	[[ $(res "$F" r4.umount_proc) != 0 ]] || { echo "umount /proc succeeded in a nested userns"; return 1; }
	if pod_has "$p" tmp; then
		t_expect "$(res "$F" r4.marker_seen)" no "host /tmp revealed in a nested userns"
	fi
}

row05() { # host pids invisible
	local p=$1
	need_probe "$p"
	if pod_has "$p" pidns; then
		(($(res "$F" r5.nprocs) <= 8)) || { echo "/proc lists $(res "$F" r5.nprocs) processes"; return 1; }
		t_expect "$(res "$F" r5.kill)" ESRCH "kill(host pid, 0)"
		t_expect "$(res "$F" r5.proc_host)" no "/proc/<host pid>"
		return 0
	fi
	# doc: without a pid namespace every host process is visible, and
	# can be signalled as far as the uid allows (root's pane is 65534).
	t_expect "$(res "$F" r5.proc_host)" yes "$p: /proc/<host pid> visible"
	if [[ $p == minimal ]] && ((POD_ROOT)); then
		t_expect "$(res "$F" r5.kill)" EPERM "$p: kill(root's pid, 0)"
	else
		t_expect "$(res "$F" r5.kill)" ok "$p: kill(host pid, 0)"
	fi
}

row07() { # host name isolated
	need_probe full
	t_expect "$(res "$F" r7.hostname)" "pod-$(cat "$RES/full.pane")" "host name inside"
	t_expect "$(res "$F" r7.sethostname)" EPERM "sethostname"
	t_expect "$(cat "$T_TMP/hostname.during")" "$(cat "$T_TMP/hostname.before")" "host's name while the pane ran"
	t_expect "$(cat "$T_TMP/hostname.after")" "$(cat "$T_TMP/hostname.before")" "host's name after"
}

row08() { # loopback only
	need_probe full
	t_expect "$(res "$F" r8.links)" lo "interfaces"
	t_expect "$(res "$F" r8.addrs)" "127.0.0.1/8,::1/128" "addresses"
	t_expect "$(res "$F" r8.routes4)" 0 "IPv4 routes"
	t_expect "$(res "$F" r8.routes6_out)" 0 "IPv6 routes not on lo"
	t_expect "$(res "$F" r8.own4)" ok "own listener on 127.0.0.1"
	t_expect "$(res "$F" r8.own6)" ok "own listener on ::1"
	t_expect "$(res "$F" r8.route_out)" ENETUNREACH "route to 192.0.2.1"
}

row09() { # host loopback and abstract sockets
	local p=$1
	need_probe "$p"
	if [[ $p == full ]]; then
		t_expect "$(res "$F" r9.tcp)" ECONNREFUSED "host listener on 127.0.0.1"
		t_expect "$(res "$F" r9.abstract)" ECONNREFUSED "host abstract socket"
	else
		# doc: balanced shares the host's network.
		t_expect "$(res "$F" r9.tcp)" ok "$p: host listener on 127.0.0.1 reachable"
		t_expect "$(res "$F" r9.abstract)" ok "$p: host abstract socket reachable"
	fi
}

row10() { # host daemons' pathname sockets
	local p=$1
	need_probe "$p"
	if [[ $p == full ]]; then
		t_expect "$(res "$F" r10.xdg_sock)" ENOENT "socket under \$XDG_RUNTIME_DIR"
		t_expect "$(res "$F" r10.ses_sock)" ENOENT "hexe's own ses.sock"
		return 0
	fi
	# doc: balanced reaches them as far as the pane's uid can: the user's
	# own (hexe's ses.sock included), not root's from a root pane.
	local want=ok
	((POD_ROOT)) && want=EACCES
	t_expect "$(res "$F" r10.xdg_sock)" "$want" "$p: socket under \$XDG_RUNTIME_DIR"
	t_expect "$(res "$F" r10.ses_sock)" "$want" "$p: hexe's ses.sock"
}

row11() { # IPC isolated
	local p=$1 want=no
	need_probe "$p"
	[[ $p == full ]] || want=yes # doc: balanced shares IPC and /dev/shm
	t_expect "$(res "$F" r11.msg_seen)" "$want" "$p: host SysV queue listed"
	t_expect "$(res "$F" r11.shm_seen)" "$want" "$p: host SysV shm listed"
	t_expect "$(res "$F" r11.devshm_seen)" "$want" "$p: host /dev/shm file visible"
}

row12() { # /tmp private
	local p=$1 dev
	need_probe "$p"
	t_expect "$(res "$F" r12.marker_seen)" no "host /tmp file visible"
	t_expect "$(res "$F" r12.create)" ok "create a file in /tmp"
	[[ ! -e /tmp/podfile-$p-$TOK ]] || { echo "the pane's /tmp file is on the host"; return 1; }
	dev=$(res "$F" r12.tmpdev)
	[[ -n $dev ]] || { echo "no /tmp mount seen in the pane"; return 1; }
	# The pane's tmpfs is gone with it: no mount table holds it.
	if grep -l " $dev / /tmp " /proc/[0-9]*/mountinfo 2>/dev/null; then
		echo "the tmpfs $dev outlived the pane"
		return 1
	fi
}

row13() { # /tmp size-limited
	local p=$1 n
	need_probe "$p"
	t_expect "$(res "$F" r13.fill_error)" ENOSPC "error when /tmp is full"
	n=$(res "$F" r13.fill_bytes)
	((n >= (127 << 20) && n <= (129 << 20))) || { echo "filled $n bytes, not 128 MiB +- 1"; return 1; }
}

row14() { # no mount leak
	local p=$1
	need_probe "$p"
	grep -q shared "$T_TMP/propagation" ||
		t_skip_test "/ is not shared here, so no mount could propagate; run the suite as root (it uses a shared throwaway namespace)"
	if ! diff "$T_TMP/mi.before" "$T_TMP/mi.during"; then
		echo "the host's mount table changed while the panes ran"
		return 1
	fi
}

row15() { # host paths
	local p=$1
	need_probe "$p"
	if [[ $p == none ]]; then
		t_expect "$(res "$F" r15.usr_writable)" "$( ((POD_ROOT)) && echo yes || echo no)" "none: /usr writable"
		return 0
	fi
	t_expect "$(res "$F" r15.usr_touch)" EACCES "create a file in /usr"
}

# Row 15's second half: a user-writable host dir bound read-only gives
# EROFS; a plain bind stays writable. Through `hexe pod` itself, the only
# way to ask for mounts until the Lua config passes them.
row15_ro_bind() {
	local p=$1 dir=$T_TMP/rw-$1 rw=$T_TMP/rw2-$1 rt=$T_TMP/rt-$1 pid out rc
	mkdir -m 0777 "$dir" "$rw"
	chmod 0777 "$dir" "$rw"
	mkdir -m 0700 "$rt"
	mkdir -m 0700 "$rt/log"
	if [[ $p == minimal || $p == default ]]; then
		# doc: extra mounts need balanced or full; the pod refuses them.
		rc=0
		out=$("$HEXE" pod --instance="$HEXE_INSTANCE" --runtime="$rt" --session=ro --id=900 \
			--profile="$p" --ro-bind="$dir:$dir" -- /bin/true 2>&1) || rc=$?
		t_expect "$rc" 2 "$p: pod with ro_bind refused"
		t_assert_contains "$out" "need a mount namespace" "$p: the reason"
		return 0
	fi
	"$HEXE" pod --instance="$HEXE_INSTANCE" --runtime="$rt" --session=ro --id=900 \
		--profile="$p" --ro-bind="$dir:$dir" --bind="$rw:$rw" -- /bin/sh -c \
		'touch "$1/x" 2>"$3/ro-$4.err"; echo $? >"$3/ro-$4.rc"; touch "$2/y"; echo $? >"$3/rw-$4.rc"' \
		_ "$dir" "$rw" "$RES" "$p" >/dev/null 2>&1 &
	pid=$!
	track_pid "$pid"
	pod_wait_file "$RES/rw-$p.rc" 10 || { tail -5 "$rt/log/pod-900.log"; return 1; }
	kill -KILL "$pid" 2>/dev/null || true # it would linger, with no ses to tell
	[[ $(cat "$RES/ro-$p.rc") != 0 ]] || { echo "wrote into a ro_bind"; return 1; }
	t_assert_contains "$(cat "$RES/ro-$p.err")" "Read-only file system" "ro_bind gives EROFS"
	t_expect "$(cat "$RES/rw-$p.rc")" 0 "bind stays writable"
	[[ ! -e $dir/x ]]
}

row25() { # no fd leaks
	need_probe "$1"
	t_expect "$(cat "$RES/$1.fds")" "0 1 2 3 " "ls /proc/self/fd"
}

row26() { # clean env
	need_probe "$1"
	t_expect "$(grep -o '^HEXE_[A-Z_]*' "$RES/$1.env" | sort | tr '\n' ' ')" \
		"HEXE_INSTANCE HEXE_PANE HEXE_SESSION " "HEXE_* variables in the pane"
}

containment() {
	local p
	t_pod "probe every profile" probe_all
	for p in "${POD_PROFILES[@]}"; do
		t_pod "row01 no caps, NNP on [$p]" row01 "$p"
		t_pod "row02 root-run pod is not host root [$p]" row02 "$p"
		t_pod "row03 setuid does not elevate [$p]" row03 "$p"
		[[ $p == none ]] || t_pod "row04 no privileges via nested userns [$p]" row04 "$p"
		t_pod "row05 host pids invisible [$p]" row05 "$p"
	done
	t_pod "row07 hostname isolated [full]" row07
	t_pod "row08 loopback only [full]" row08
	for p in balanced full; do
		t_pod "row09 host loopback + abstract sockets [$p]" row09 "$p"
		t_pod "row10 host pathname sockets [$p]" row10 "$p"
		t_pod "row11 IPC isolated [$p]" row11 "$p"
		t_pod "row12 /tmp private [$p]" row12 "$p"
		t_pod "row13 /tmp size-limited [$p]" row13 "$p"
	done
	for p in default balanced full; do
		t_pod "row14 no mount leak [$p]" row14 "$p"
	done
	for p in "${POD_PROFILES[@]}"; do
		t_pod "row15 host paths [$p]" row15 "$p"
		[[ $p == none ]] || t_pod "row15 ro_bind gives EROFS [$p]" row15_ro_bind "$p"
		t_pod "row25 no fd leaks [$p]" row25 "$p"
		t_pod "row26 clean env [$p]" row26 "$p"
	done
}

POD_PASSES=${POD_PASSES:-root} pod_main containment
