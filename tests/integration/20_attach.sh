#!/usr/bin/env bash
# Attached use through a real PTY, with libvterm playing the user's
# terminal: the screen, the status bar, typing, detach, reattach, two
# clients, resize, and a terminal that answers no query.
source "$(dirname "$0")/../lib.sh"
hexe_env_setup

ptyh() { "$PTYH" --timeout 40 "$@"; }

test_mux_shows_shell_and_status() {
	cat >"$T_TMP/a.ptyh" <<-EOT
	spawn 80 24 $HEXE mux new -s main -- /bin/sh
	wait "\$ "
	rowre -1 "^\\[main\\] .* [0-9][0-9]:[0-9][0-9]\$"
	cell -1 0 bg=2
	type "echo \$((6*7))\r"
	row 1 "42"
	cursor 2 2
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/a.ptyh"
	"$HEXE" ses list | grep -q '^main 1 detached 80x23$'
}

test_detach_keeps_running_and_reattach() {
	"$HEXE" mux new -d -s keep -x 80 -y 23 -- /bin/sh
	printf '%s\n' 'i=0; while :; do i=$((i+1)); echo "tick $i" > "$HOME/ticks"; sleep 0.1; done' >"$HOME/ticker.sh"
	cat >"$T_TMP/b.ptyh" <<-EOT
	spawn 80 24 $HEXE mux attach keep
	wait "\$ "
	type "sh $HOME/ticker.sh &\r"
	type "echo started\r"
	wait "started"
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/b.ptyh"
	local a b
	a=$(cat "$HOME/ticks")
	sleep 0.5
	b=$(cat "$HOME/ticks")
	[[ $a != "$b" ]] || { echo "the background job stopped after detach: $a"; return 1; }
}

test_sighup_detaches() {
	"$HEXE" mux new -d -s hup -x 80 -y 23 -- /bin/sh
	cat >"$T_TMP/c.ptyh" <<-EOT
	spawn 80 24 $HEXE mux attach hup
	wait "\$ "
	type "echo before-hup\r"
	wait "before-hup"
	sh "$HEXE ses list | grep -q '^hup 1 attached'"
	hup
	expect-exit 0
	EOT
	ptyh "$T_TMP/c.ptyh"
	t_wait_for 3 sh -c '"$HEXE" ses list | grep -q "^hup 1 detached"'
	"$HEXE" mux capture -t hup | grep -q before-hup
}

test_reattach_fullscreen_exact() {
	printf 'line %s\n' $(seq 1 200) >"$HOME/file.txt"
	"$HEXE" mux new -d -s full -x 80 -y 23 -- vim -u NONE -N "$HOME/file.txt"
	t_wait_for 5 sh -c '"$HEXE" mux capture -t full | grep -q "^line 1$"'
	"$HEXE" mux send -t full '50G' 'ix' Escape
	t_wait_for 5 sh -c '"$HEXE" mux capture -t full | grep -q "^xline 50$"'
	# vim has left insert mode before the screen is compared
	t_wait_for 5 sh -c '! "$HEXE" mux capture -t full | grep -q "INSERT"'
	local before
	before=$("$HEXE" mux capture -t full)
	cat >"$T_TMP/d.ptyh" <<-EOT
	spawn 80 24 $HEXE mux attach full
	wait "xline 50"
	screen $T_TMP/screen.txt
	EOT
	ptyh "$T_TMP/d.ptyh"
	# The attached screen (minus the status row) is the pod's screen.
	t_assert_eq "$(head -n 23 "$T_TMP/screen.txt")" "$before" "reattached screen"
	# And the cursor sits where vim left it: on the x of line 50.
	local row
	row=$(printf '%s\n' "$before" | grep -n '^xline 50$' | cut -d: -f1)
	cat >"$T_TMP/e.ptyh" <<-EOT
	spawn 80 24 $HEXE mux attach full
	wait "xline 50"
	cursor $((row - 1)) 0
	type ":q!\r"
	expect-exit 0
	EOT
	ptyh "$T_TMP/e.ptyh"
}

test_two_clients_smaller_size() {
	"$HEXE" mux new -d -s two -x 100 -y 30 -- /bin/sh
	cat >"$T_TMP/big.ptyh" <<-EOT
	spawn 100 40 $HEXE mux attach two
	wait "\$ "
	type "echo from-big\r"
	wait "from-big"
	# wait for the second client, then see what it typed
	wait "from-small" 10000
	type "stty size\r"
	wait "29 80"
	key C-M-d
	expect-exit 0
	EOT
	cat >"$T_TMP/small.ptyh" <<-EOT
	spawn 80 30 $HEXE mux attach two
	wait "from-big" 10000
	type "echo from-small\r"
	wait "29 80" 10000
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/big.ptyh" &
	local big=$!
	sleep 1
	ptyh "$T_TMP/small.ptyh"
	wait "$big"
}

test_resize_reaches_program() {
	cat >"$T_TMP/r.ptyh" <<-EOT
	spawn 80 24 $HEXE mux new -s rs -- /bin/sh
	wait "\$ "
	type "stty size\r"
	wait "23 80"
	resize 100 30
	type "clear; stty size\r"
	wait "29 100"
	rowre -1 "^\\[rs\\]"
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/r.ptyh"
}

test_kill_mux_detaches() {
	cat >"$T_TMP/k.ptyh" <<-EOT
	spawn 80 24 $HEXE mux new -s km -- /bin/sh
	wait "\$ "
	type "echo alive\r"
	wait "alive"
	kill KILL
	expect-exit signal:9
	EOT
	ptyh "$T_TMP/k.ptyh"
	t_wait_for 3 sh -c '"$HEXE" ses list | grep -q "^km 1 detached"'
	"$HEXE" mux send -t km 'echo still-here' Enter
	t_wait_for 3 sh -c '"$HEXE" mux capture -t km | grep -q still-here'
}

test_silent_terminal_does_not_block() {
	# A terminal that answers no query: the mux must still draw and work.
	cat >"$T_TMP/q.ptyh" <<-EOT
	set answer off
	spawn 80 24 $HEXE mux new -s quiet -- /bin/sh
	wait "\$ " 3000
	type "echo typed-ok\r"
	wait "typed-ok" 3000
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/q.ptyh"
}

test_colours_and_wide_chars() {
	cat >"$T_TMP/w.ptyh" <<-EOT
	spawn 80 24 $HEXE mux new -s col -- /bin/sh
	wait "\$ "
	type "printf '\\\\033[38;5;196mR\\\\033[0m \\\\033[38;2;1;2;3mT\\\\033[0m 日本\\\\n'\r"
	wait "日本"
	cell 1 0 fg=196 char="R"
	cell 1 2 fg=#010203 char="T"
	cell 1 4 width=2 char="日"
	cell 1 6 width=2 char="本"
	key C-M-d
	expect-exit 0
	EOT
	COLORTERM=truecolor ptyh "$T_TMP/w.ptyh"
}

test_large_paste_arrives_whole() {
	head -c 786432 /dev/urandom | base64 -w 76 >"$HOME/paste.txt"
	cat >"$T_TMP/p.ptyh" <<-EOT
	spawn 80 24 $HEXE mux new -s paste -- /bin/sh
	wait "\$ "
	type "stty -echo; cat > $HOME/pasted.txt\r"
	sleep 200
	paste $HOME/paste.txt
	key C-d
	type "stty echo; echo pasted-done\r"
	wait "pasted-done" 20000
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/p.ptyh"
	cmp "$HOME/paste.txt" "$HOME/pasted.txt"
}

test_login_shell_readline_job_control() {
	cat >"$T_TMP/j.ptyh" <<-EOT
	spawn 80 24 $HEXE mux new -s js
	# keys typed before the pane exists have nowhere to go: wait for
	# the login shell's prompt (a loaded machine takes its time)
	waitre "[#$] ?\$" 15000
	type "PS1='rdy> '\r"
	wait "rdy> " 10000
	type "clear\r"
	row 0 "rdy>"
	# readline editing: move left twice and insert
	type "echo abc"
	key Left Left
	type "X\r"
	wait "aXbc"
	# job control: background, list, foreground, interrupt
	type "sleep 30 &\r"
	wait "[1]"
	type "jobs\r"
	waitre "\\[1\\]\\+ +Running +sleep 30 &"
	type "fg\r"
	drain 300
	key C-c
	type "echo rc=\$?\r"
	wait "rc=130"
	# Ctrl-Z suspends and bg/fg work
	type "sleep 31\r"
	drain 300
	key C-z
	waitre "Stopped +sleep 31"
	type "kill %1; echo killed\r"
	wait "killed"
	nottext "no job control"
	type "echo \$0 \\\$HEXE_SESSION\r"
	wait "-bash js"
	type "tty\r"
	waitre "^/dev/pts/[0-9]+\$"
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/j.ptyh"
}

test_less_and_alt_screen() {
	seq 1 500 >"$HOME/nums.txt"
	# less fills 23 rows (the status bar takes the 24th); its last row is
	# its prompt.
	cat >"$T_TMP/l.ptyh" <<-EOT
	spawn 80 24 $HEXE mux new -s pager -- /bin/sh
	wait "\$ "
	type "echo before-less; less $HOME/nums.txt\r"
	row 0 "1"
	row 21 "22"
	rowre 22 "nums.txt"
	key Space
	row 0 "23"
	type "q"
	wait "before-less"
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/l.ptyh"
}

t_run "login shell: readline, job control, Ctrl-C/Ctrl-Z, tty" test_login_shell_readline_job_control
t_run "less on the alternate screen and back" test_less_and_alt_screen
t_run "mux shows the shell and the status bar" test_mux_shows_shell_and_status
t_run "detach keeps jobs running" test_detach_keeps_running_and_reattach
t_run "SIGHUP of the terminal detaches" test_sighup_detaches
t_run "reattach shows vim's exact screen and cursor" test_reattach_fullscreen_exact
t_run "two clients: both type, smaller size wins" test_two_clients_smaller_size
t_run "resize reaches the program" test_resize_reaches_program
t_run "kill -9 of the mux only detaches" test_kill_mux_detaches
t_run "a terminal that answers nothing does not block" test_silent_terminal_does_not_block
t_run "256/24-bit colour and wide characters" test_colours_and_wide_chars
t_run "a large paste arrives whole" test_large_paste_arrives_whole
