#!/usr/bin/env bash
# POD terminals and the mux, rows 6, 22, 23 and 24 of POD_CHECKLIST.md,
# for every profile: an attached mux is out of a pane's reach; the pane's
# terminal works (tty, job control, resize); another pane's terminal is
# not reachable (full) and TIOCSTI is confined. As root; the twin
# 15_tty_65534.sh runs the same as uid 65534 (podlib.sh).
source "$(dirname "$0")/podlib.sh"

TIOCSTI_LEGACY=$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo 1)

write_helpers() {
	# Row 6: what a pane can do to a host process (the mux).
	cat >"$T_TMP/reach.py" <<-'PY'
	import ctypes, errno, os, sys
	pid, out, prof = int(sys.argv[1]), sys.argv[2], sys.argv[3]
	def ename(e): return errno.errorcode.get(e.errno, str(e.errno))
	def attempt(fn):
	    try:
	        fn(); return "ok"
	    except OSError as e:
	        return ename(e)
	r = {"kill": attempt(lambda: os.kill(pid, 0)),
	     "environ": attempt(lambda: open("/proc/%d/environ" % pid, "rb").read(1)),
	     "mem": attempt(lambda: open("/proc/%d/mem" % pid, "rb").close())}
	if prof != "none":  # in none the same uid may trace: never try it on the mux
	    libc = ctypes.CDLL(None, use_errno=True)
	    libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
	    if libc.ptrace(0x4206, pid, None, None) == 0:  # PTRACE_SEIZE: does not stop it
	        libc.ptrace(17, pid, None, None)
	        r["ptrace"] = "ok"
	    else:
	        r["ptrace"] = errno.errorcode.get(ctypes.get_errno(), "?")
	with open(out + ".tmp", "w") as f:
	    f.write("".join("%s=%s\n" % kv for kv in r.items()))
	os.replace(out + ".tmp", out)
	PY
	# Rows 23, 24: another pane's terminal, and TIOCSTI.
	cat >"$T_TMP/cross.py" <<-'PY'
	import errno, fcntl, os, sys
	other, out, tag = sys.argv[1], sys.argv[2], sys.argv[3]
	TIOCSTI = 0x5412
	def ename(e): return errno.errorcode.get(e.errno, str(e.errno))
	def sti(fd, text):
	    try:
	        for c in text:
	            fcntl.ioctl(fd, TIOCSTI, c.encode())
	        return "ok"
	    except OSError as e:
	        return ename(e)
	r = {}
	try:
	    # In a devpts of its own (full) the other pane's path may name
	    # this pane's own terminal: then the other one is out of reach.
	    if os.path.exists(other) and os.path.samefile(other, "/proc/self/fd/0"):
	        raise OSError(errno.ENOENT, "the path names the pane's own terminal")
	    fd = os.open(other, os.O_WRONLY | os.O_NOCTTY)
	    r["open"] = "ok"
	    os.write(fd, ("MARK23-%s\r\n" % tag).encode())
	    r["sti_other"] = sti(fd, "#sti-other-%s\n" % tag)
	    os.close(fd)
	except OSError as e:
	    r["open"] = ename(e)
	r["sti_own"] = sti(0, "#sti-own-%s\n" % tag)
	with open(out + ".tmp", "w") as f:
	    f.write("".join("%s=%s\n" % kv for kv in r.items()))
	os.replace(out + ".tmp", out)
	PY
	chmod 0644 "$T_TMP/reach.py" "$T_TMP/cross.py"
}

# Row 6: an attached mux, and the pane it shows trying to reach it.
t06() {
	local p=$1 s=m6-$1 f=$RES/m6-$1.txt
	write_helpers
	cat >"$T_TMP/$s.ptyh" <<-EOT
	setenv HEXE_VOIDBOX_PROFILE $p
	spawn 80 24 $HEXE mux new -s $s -- /bin/sh
	wait "\$ "
	pid MUX
	type "$POD_PY $T_TMP/reach.py \$MUX $f $p; echo reach-\$((6*7))\r"
	wait "reach-42" 20000
	key C-M-d
	expect-exit 0
	EOT
	"$PTYH" --timeout 30 "$T_TMP/$s.ptyh"
	if pod_has "$p" pidns; then
		t_expect "$(res "$f" kill)" ESRCH "kill -0 mux"
		t_expect "$(res "$f" environ)" ENOENT "/proc/<mux>/environ"
		t_expect "$(res "$f" mem)" ENOENT "/proc/<mux>/mem"
		t_expect "$(res "$f" ptrace)" ESRCH "ptrace mux"
	elif [[ $p == minimal ]]; then
		# Another user namespace: no ptrace access at all.
		t_expect "$(res "$f" ptrace)" EPERM "ptrace mux"
		t_expect "$(res "$f" environ)" EACCES "/proc/<mux>/environ"
		t_expect "$(res "$f" mem)" EACCES "/proc/<mux>/mem"
		# doc: kill works as far as the uid allows.
		t_expect "$(res "$f" kill)" "$( ((POD_ROOT)) && echo EPERM || echo ok)" "doc: kill -0 mux"
	else
		# doc: none is the user: the mux is as reachable as any process.
		t_expect "$(res "$f" kill)" ok "doc: kill -0 mux"
		t_expect "$(res "$f" environ)" ok "doc: /proc/<mux>/environ"
	fi
}

# Row 22: tty, job control.
t22_jobs() {
	local p=$1 s=t22-$1 want=/dev/pts/
	pod_new "$p" "$s" /bin/bash --norc --noprofile
	pod_wait_prompt "$s"
	"$HEXE" mux send -t "$s" 'tty' Enter
	[[ $p == full ]] && want=/dev/pts/0 # its own devpts
	pod_wait_screen "$s" "$want"
	"$HEXE" mux send -t "$s" 'sleep 30 &' Enter
	pod_wait_screen "$s" '[1] '
	"$HEXE" mux send -t "$s" 'jobs' Enter
	pod_wait_screen "$s" 'Running'
	"$HEXE" mux send -t "$s" 'fg' Enter
	pod_wait_screen "$s" 'sleep 30'
	sleep 0.2
	"$HEXE" mux send -t "$s" C-c
	"$HEXE" mux send -t "$s" 'echo after-c-$((1+1))' Enter
	pod_wait_screen "$s" 'after-c-2'
	"$HEXE" mux send -t "$s" 'sleep 31' Enter
	sleep 0.3
	"$HEXE" mux send -t "$s" C-z
	pod_wait_screen "$s" 'Stopped'
	"$HEXE" mux send -t "$s" 'kill -9 %1; jobs -l; echo after-z-$((2+1))' Enter
	pod_wait_screen "$s" 'after-z-3'
	local screen
	screen=$(pod_screen "$s")
	if [[ $screen == *"no job control"* || $screen == *"cannot set terminal process group"* ]]; then
		printf '%s\n' "$screen"
		return 1
	fi
	"$HEXE" ses kill "$s"
}

# Row 22: a resize reaches the program (SIGWINCH, stty size).
t22_resize() {
	local p=$1 s=r22-$1
	cat >"$T_TMP/$s.ptyh" <<-EOT
	setenv HEXE_VOIDBOX_PROFILE $p
	spawn 80 24 $HEXE mux new -s $s -- /bin/sh
	wait "\$ "
	type "stty size\r"
	wait "23 80"
	resize 100 30
	sleep 300
	type "stty size\r"
	wait "29 100"
	type "exit\r"
	expect-exit 0
	EOT
	"$PTYH" --timeout 30 "$T_TMP/$s.ptyh"
}

# Rows 23, 24: pane B (profile p) tries pane A's terminal (profile none),
# and TIOCSTI on both. The screens are kept for row 24's assertions.
t23() {
	local p=$1 a=a23-$1 b=b23-$1 f=$RES/x23-$1.txt tag=$1-$TOK
	write_helpers
	pod_new none "$a" /bin/sh
	pod_wait_prompt "$a"
	"$HEXE" mux send -t "$a" "tty > $RES/$a.tmp && mv $RES/$a.tmp $RES/$a.tty" Enter
	pod_wait_file "$RES/$a.tty"
	pod_new "$p" "$b" /bin/sh
	pod_wait_prompt "$b"
	"$HEXE" mux send -t "$b" "$POD_PY $T_TMP/cross.py $(cat "$RES/$a.tty") $f $tag" Enter
	pod_wait_file "$f"
	if [[ $TIOCSTI_LEGACY == 1 ]]; then
		pod_wait_screen "$b" "#sti-own-$tag"
	fi
	sleep 0.3
	pod_screen "$a" >"$RES/$a.screen"
	pod_screen "$b" >"$RES/$b.screen"
	"$HEXE" ses kill "$a"
	"$HEXE" ses kill "$b"
	local reach=no
	grep -qF "MARK23-$tag" "$RES/$a.screen" && reach=yes
	if [[ $p == full ]]; then
		t_expect "$reach" no "wrote into another pane's terminal"
	elif ((POD_ROOT)) && [[ $p != none ]]; then
		# doc: a root-run pane is 65534; root's terminals are closed to it.
		t_expect "$(res "$f" open)" EACCES "doc: $p: open root's other terminal"
		t_expect "$reach" no "doc: $p: wrote into root's other terminal"
	else
		# doc: below full, the user's other terminals are the user's.
		t_expect "$reach" yes "doc: $p: wrote into another pane's terminal"
	fi
}

t24() {
	local p=$1 f=$RES/x23-$1.txt tag=$1-$TOK
	[[ -f $f ]] || { echo "row 23's run for $p left no results"; return 1; }
	# On the pane's own terminal TIOCSTI reaches only its own shell.
	if [[ $TIOCSTI_LEGACY == 1 ]]; then
		t_expect "$(res "$f" sti_own)" ok "TIOCSTI on the own terminal"
		grep -qF "#sti-own-$tag" "$RES/b23-$p.screen"
		! grep -qF "sti-own-$tag" "$RES/a23-$p.screen"
	else
		t_expect "$(res "$f" sti_own)" EIO "TIOCSTI disabled (dev.tty.legacy_tiocsti=0)"
	fi
	# Another terminal: EPERM without CAP_SYS_ADMIN; root in a none pane
	# has it (doc).
	if [[ $(res "$f" open) != ok ]]; then
		return 0 # it cannot even open one (row 23)
	fi
	if ((POD_ROOT)) && [[ $p == none ]]; then
		[[ $TIOCSTI_LEGACY == 1 ]] || return 0
		t_expect "$(res "$f" sti_other)" ok "doc: root in a none pane may inject"
		return 0
	fi
	t_expect "$(res "$f" sti_other)" EPERM "TIOCSTI on another terminal"
	! grep -qF "sti-other-$tag" "$RES/a23-$p.screen"
}

tty_rows() {
	local p
	for p in "${POD_PROFILES[@]}"; do
		t_pod "row06 mux unreachable [$p]" t06 "$p"
		t_pod "row22 tty and job control [$p]" t22_jobs "$p"
		t_pod "row22 resize reaches the program [$p]" t22_resize "$p"
		t_pod "row23 no cross-pane tty access [$p]" t23 "$p"
		t_pod "row24 TIOCSTI confined [$p]" t24 "$p"
	done
}

POD_PASSES=${POD_PASSES:-root} pod_main tty_rows
