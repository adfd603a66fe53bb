#!/usr/bin/env bash
# 00_harness.sh - tests the test harness itself (ptyh and lib.sh) against
# /bin/sh and printf, so that a failing hexe test can be trusted to be
# hexe's fault. Runs first by name.

source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
hexe_env_setup

# Each test works in a directory of its own.
workdir() {
	cd "$(mktemp -d "$T_TMP/w.XXXXXX")" || exit 1
}

# ptyh SCRIPT-FILE: a short overall timeout, a hang here is a bug.
ptyh() {
	"$PTYH" --timeout 30 "$@"
}

test_type_wait_row_cursor() {
	workdir
	cat >s.ptyh <<'EOF'
spawn 80 24 /bin/sh
wait "$ "
row 0 "$"
cursor 0 2
type "echo hello\r"
wait hello
row 0 "$ echo hello"
row 1 "hello"
row -22 "$ "
cursor 2 2
cursor -22 -78
waitre "^hel+o$"
rowre 1 "^h.*o$"
nottext "goodbye"
type "clear\r"
gone hello
EOF
	ptyh s.ptyh
}

test_colours_and_cells() {
	workdir
	cat >s.ptyh <<'EOF'
spawn 120 10 /bin/sh
wait "$ "
type 'printf "\033[31mred\033[0m plain \033[1;38;5;200mX\033[0;48;2;1;2;3mY\033[7mR\033[0m\n"'
key Enter
wait "red plain XYR"
cell 1 0 fg=1 bg=default bold=0 char=r
cell 1 2 fg=1 char="d"
cell 1 4 fg=default char=p
cell 1 10 fg=200 bold=1 char=X
cell 1 11 bg=#010203 fg=default bold=0 char=Y
cell 1 12 reverse=1 char=R
cell 1 13 char=" " reverse=0
EOF
	ptyh s.ptyh
}

test_wide_chars() {
	workdir
	cat >s.ptyh <<'EOF'
spawn 40 5 /bin/sh
wait "$ "
type "printf '\\344\\270\\255x\\n'\r"
wait "中x"
row 1 "中x"
cell 1 0 width=2 char="中"
cell 1 2 width=1 char=x
EOF
	ptyh s.ptyh
}

test_resize_seen_by_stty() {
	workdir
	cat >s.ptyh <<'EOF'
spawn 80 24 /bin/sh
wait "$ "
type "stty size\r"
wait "24 80"
row 2 "$"
resize 100 30
type "stty size\r"
wait "30 100"
row 4 "$"
cursor 4 2
EOF
	ptyh s.ptyh
}

test_keys_encoding() {
	workdir
	# 41 bytes, shown as hex by od once they have all arrived.
	cat >s.ptyh <<'EOF'
spawn 100 5 sh -c "stty raw -echo opost; echo READY; head -c 41 | od -An -tx1 -v | tr -d ' \n'; echo; echo END"
wait READY
key Up S-PageUp C-a M-x F5 Enter Tab BSpace Escape C-Space
key S-Tab C-M-x Home F1 F12
type "A\x01\e"
wait END
row 1 "1b5b411b5b353b327e011b781b5b31357e0d097f1b001b5b5a1b181b5b481b4f501b5b32347e41011b"
expect-exit 0
EOF
	ptyh s.ptyh
}

test_cursor_keys_follow_decckm() {
	workdir
	cat >s.ptyh <<'EOF'
spawn 80 5 sh -c "stty raw -echo opost; printf 'READY\033[?1h\n'; head -c 3 | od -An -tx1 -v; echo END"
wait READY
key Up
wait END
row 1 " 1b 4f 41"
EOF
	ptyh s.ptyh
}

test_answers_terminal_queries() {
	workdir
	cat >s.ptyh <<'EOF'
# libvterm answers DA (ESC[c) with ESC[?1;2c; we read the first 3 bytes.
spawn 80 5 sh -c "stty raw -echo opost; printf '\033[c'; head -c 3 | od -An -tx1 -v; echo END"
wait END
row 0 " 1b 5b 3f"
expect-exit 0
set answer off
spawn 80 5 sh -c "stty raw -echo opost; printf '\033[c'; timeout 1 head -c 1 | od -An -tx1 -v; echo END"
wait END
row 0 "END"
expect-exit 0
EOF
	ptyh s.ptyh
}

test_expect_exit() {
	workdir
	cat >s.ptyh <<'EOF'
spawn 40 5 /bin/sh -c "exit 7"
expect-exit 7
spawn 40 5 /bin/sh
wait "$ "
type "exit 3\r"
expect-exit 3
spawn 40 5 sleep 30
kill TERM
expect-exit signal:TERM
spawn 40 5 sleep 30
kill 9
expect-exit signal:9
spawn 40 5 /bin/sh
wait "$ "
hup
expect-exit signal:HUP
EOF
	ptyh s.ptyh
}

test_paste_200k_intact() {
	workdir
	# 200 lines of 1023 base64 characters: exactly 200 KiB of text, with
	# lines well below the tty's 4095-byte canonical line limit.
	head -c 153450 /dev/urandom | base64 -w 1023 >in.txt
	t_assert_eq "$(wc -c <in.txt)" 204800 "input size"
	# cat gets the paste brackets too, and the newline from Enter.
	{ printf '\033[200~'; cat in.txt; printf '\033[201~\n'; } >expected.txt
	cat >s.ptyh <<'EOF'
spawn 80 24 sh -c "cat > out.txt"
paste in.txt
key Enter C-d
expect-exit 0 20000
sh "cmp expected.txt out.txt"
EOF
	ptyh s.ptyh
}

test_shell_capture_variables() {
	workdir
	cat >s.ptyh <<'EOF'
spawn 40 5 /bin/sh
wait "$ "
capture X "echo '  captured  '"
setenv Y "a b"
sh 'test "$X" = captured && test "$Y" = "a b"'
type "echo [$X] [${Y}] [\$X]\r"
row 0 "$ echo [captured] [a b] [\$X]"
row 1 "[captured] [a b] []"
pid P
sh 'kill -0 "$P"'
sh! "exit 5"
sh "echo passthrough"
unsetenv Y
EOF
	local out
	out=$(ptyh s.ptyh)
	t_assert_eq "$out" passthrough "sh stdout passes through"
}

test_screen_dump() {
	workdir
	cat >s.ptyh <<'EOF'
spawn 30 4 /bin/sh
wait "$ "
type "echo one\r"
row 1 one
row 2 "$"
screen dump.txt
screen
EOF
	local out
	out=$(ptyh s.ptyh)
	t_assert_eq "$(cat dump.txt)" "$out" "file and stdout dumps agree"
	t_assert_eq "$(sed -n 2p dump.txt)" "one" "row 1"
	t_assert_eq "$(wc -l <dump.txt)" 4 "one line per row"
}

test_failures_are_reported() {
	workdir
	local err rc
	cat >row.ptyh <<'EOF'
spawn 40 5 /bin/sh
wait "$ "
row 0 "nope" 300
EOF
	rc=0
	err=$(ptyh row.ptyh 2>&1 >/dev/null) || rc=$?
	t_assert_eq "$rc" 1 "row mismatch exit status"
	t_assert_contains "$err" 'ptyh: line 3: row 0 is "$", expected "nope"' \
		"row mismatch message"
	t_assert_contains "$err" '  0|$' "screen dump"

	printf 'spawn 40 5 /bin/sh\nwait "never there" 200\n' >wait.ptyh
	rc=0
	err=$(ptyh wait.ptyh 2>&1) || rc=$?
	t_assert_eq "$rc" 1 "wait timeout exit status"
	t_assert_contains "$err" 'ptyh: line 2: timeout waiting for "never there"' \
		"wait timeout message"

	printf 'spawn 40 5 /bin/sh\nwait "$ "\ncell 0 0 fg=1 timeout=100\n' >cell.ptyh
	rc=0
	err=$(ptyh cell.ptyh 2>&1) || rc=$?
	t_assert_eq "$rc" 1 "cell mismatch exit status"
	t_assert_contains "$err" 'cell 0,0 is char="$" fg=default' "cell message"

	printf 'sh "exit 3"\n' >sh.ptyh
	rc=0
	err=$(ptyh sh.ptyh 2>&1) || rc=$?
	t_assert_eq "$rc" 1 "sh failure exit status"
	t_assert_contains "$err" 'line 1: command "exit 3" failed: exit status 3' \
		"sh failure message"

	printf 'spawn 40 5 /bin/sh -c "exit 2"\nexpect-exit 0\n' >exit.ptyh
	rc=0
	err=$(ptyh exit.ptyh 2>&1) || rc=$?
	t_assert_eq "$rc" 1 "expect-exit mismatch exit status"
	t_assert_contains "$err" 'child ended with exit status 2, expected 0' \
		"expect-exit message"

	printf 'bogus\n' >bad.ptyh
	rc=0
	err=$(ptyh bad.ptyh 2>&1) || rc=$?
	t_assert_eq "$rc" 1 "unknown command exit status"
	t_assert_contains "$err" "line 1: unknown command 'bogus'" "syntax message"
}

test_overall_timeout() {
	workdir
	local err rc=0 start
	printf 'spawn 40 5 sleep 30\nwait "never" 60000\n' >s.ptyh
	start=$SECONDS
	err=$("$PTYH" --timeout 1 s.ptyh 2>&1) || rc=$?
	t_assert_eq "$rc" 1 "exit status"
	t_assert_contains "$err" "overall timeout of 1 s exceeded" "message"
	((SECONDS - start <= 5)) || { echo "took $((SECONDS - start)) s"; return 1; }
}

test_child_stopped_at_end() {
	workdir
	local pid
	cat >s.ptyh <<'EOF'
spawn 40 5 sh -c "echo \$\$ > pid1; echo started; exec sleep 30"
wait started
EOF
	ptyh s.ptyh
	pid=$(cat pid1)
	if kill -0 "$pid" 2>/dev/null; then
		echo "child $pid still alive after ptyh exited"
		return 1
	fi
	# A child that ignores SIGHUP gets SIGKILL after the grace period.
	cat >s.ptyh <<'EOF'
spawn 40 5 sh -c "trap '' HUP; echo \$\$ > pid2; echo started; while :; do sleep 1; done"
wait started
EOF
	ptyh s.ptyh
	pid=$(cat pid2)
	if kill -0 "$pid" 2>/dev/null; then
		echo "HUP-ignoring child $pid still alive after ptyh exited"
		return 1
	fi
}

test_lib_helpers() {
	workdir
	(sleep 0.2; touch flag) &
	track_pid $!
	t_wait_for 3 test -f flag
	if t_wait_for 0.2 false >/dev/null; then
		echo "t_wait_for succeeded on false"
		return 1
	fi
	t_assert_eq "a" "a" "equal strings"
	t_assert_contains "hello world" "o w" "substring"
	if t_assert_eq "a" "b" "x" >/dev/null; then
		echo "t_assert_eq passed on different strings"
		return 1
	fi
	[[ -d $XDG_RUNTIME_DIR && $(stat -c %a "$XDG_RUNTIME_DIR") == 700 ]]
	[[ $HEXE == /* && $HEXE_INSTANCE == t* ]]
}

t_run "type, wait, row and cursor" test_type_wait_row_cursor
t_run "colours and cell attributes" test_colours_and_cells
t_run "wide characters" test_wide_chars
t_run "resize is seen by stty size" test_resize_seen_by_stty
t_run "key names encode like xterm" test_keys_encoding
t_run "cursor keys follow DECCKM" test_cursor_keys_follow_decckm
t_run "answers queries unless set answer off" test_answers_terminal_queries
t_run "expect-exit, kill and hup" test_expect_exit
t_run "200 KiB paste arrives intact" test_paste_200k_intact
t_run "sh, capture and variables" test_shell_capture_variables
t_run "screen dumps" test_screen_dump
t_run "failures name the line and dump the screen" test_failures_are_reported
t_run "overall timeout" test_overall_timeout
t_run "child is stopped at the end" test_child_stopped_at_end
t_run "lib.sh helpers" test_lib_helpers
