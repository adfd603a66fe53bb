#!/usr/bin/env bash
# The workspace through a real PTY: splits with borders, geometric focus,
# close, zoom, tabs and their status bar, mouse focus, border drags, the
# wheel and Shift+PageUp into history, and the graph surviving a daemon
# restart.
source "$(dirname "$0")/../lib.sh"
hexe_env_setup

RT=$XDG_RUNTIME_DIR/hexe/$HEXE_INSTANCE
ptyh() { "$PTYH" --timeout 60 "$@"; }

# New panes run the session's $SHELL as a login shell, which would take
# its prompt from /etc/profile; this one keeps PS1="$ ".
printf '#!/bin/sh\nexec /bin/sh\n' >"$T_TMP/plainsh"
chmod +x "$T_TMP/plainsh"
export SHELL=$T_TMP/plainsh

test_split_focus_close() {
	cat >"$T_TMP/s.ptyh" <<-EOT
	spawn 80 24 $HEXE mux new -s sp
	wait "\$ "
	key C-M-v
	# the new pane is on the right, 39 columns wide, and has focus
	waitre "^\\\\$ +│\\\\$\$"
	type "stty size\r"
	wait "23 39"
	cell 0 40 char="│"
	key C-M-s
	type "stty size\r"
	wait "11 39"
	cell 11 40 char="├"
	sh "$HEXE ses list | grep -q '^sp 3 '"
	key C-M-h
	type "stty size; echo in-left\r"
	wait "23 40"
	# close the left pane: the right column takes the whole width
	key C-M-x
	gone "in-left"
	type "clear; stty size\r"
	wait "11 80"
	sh "$HEXE ses list | grep -q '^sp 2 '"
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/s.ptyh"
}

test_zoom() {
	cat >"$T_TMP/z.ptyh" <<-EOT
	spawn 80 24 $HEXE mux new -s zm
	wait "\$ "
	key C-M-v
	wait "│"
	key C-M-z
	gone "│"
	type "stty size\r"
	wait "23 80"
	key C-M-z
	wait "│"
	type "clear; stty size\r"
	wait "23 39"
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/z.ptyh"
}

test_tabs_and_status_bar() {
	cat >"$T_TMP/t.ptyh" <<-EOT
	spawn 80 24 $HEXE mux new -s tb
	wait "\$ "
	type "echo first-tab\r"
	rowre -1 "^\\\\[tb\\\\] 1\\\\* "
	key C-M-t
	rowre -1 "^\\\\[tb\\\\] 1 2\\\\* "
	gone "first-tab"
	key C-M-r
	rowre -1 "^rename tab:"
	type "work\r"
	rowre -1 "^\\\\[tb\\\\] 1 2:work\\\\* "
	key C-M-p
	rowre -1 "^\\\\[tb\\\\] 1\\\\* 2:work "
	wait "first-tab"
	key C-M-n
	rowre -1 "^\\\\[tb\\\\] 1 2:work\\\\* "
	sh "$HEXE mux action -t tb tab.goto 1"
	wait "first-tab"
	sh "$HEXE ses list | grep -q '^tb 2 '"
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/t.ptyh"
}

test_mouse_focus_and_drag() {
	cat >"$T_TMP/m.ptyh" <<-EOT
	spawn 80 24 $HEXE mux new -s ms
	wait "\$ "
	key C-M-v
	wait "│"
	# click into the left pane (column 5, row 3; SGR is 1-based)
	type "\e[<0;5;3M\e[<0;5;3m"
	type "echo left-focused\r"
	waitre "^\\\\$ echo left-focused +│"
	# drag the border from column 40 to column 60
	type "\e[<0;41;5M\e[<32;50;5M\e[<32;61;5M\e[<0;61;5m"
	cell 0 60 char="│"
	type "stty size\r"
	wait "23 60"
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/m.ptyh"
}

test_wheel_and_pageup_history() {
	cat >"$T_TMP/w.ptyh" <<-EOT
	spawn 80 24 $HEXE mux new -s wh
	wait "\$ "
	type "seq 1 200\r"
	row 21 "200"
	# the prompt too, or the "x" below may be echoed before it
	row 22 "\$"
	# 202 lines were written; 23 are on screen, 179 in history, and the
	# screen's top row is 179. The wheel scrolls back three lines.
	type "\e[<64;10;10M"
	rowre 0 "^176 +\\\\[176/179\\\\]\$"
	row 3 "179"
	# Shift+PageUp: a page (23 rows) further
	key S-PageUp
	rowre 0 "^153 +\\\\[153/179\\\\]\$"
	# any typed key returns to the bottom
	type "x"
	gone "/2"
	row 22 "\$ x"
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/w.ptyh"
}

test_graph_survives_ses_restart() {
	cat >"$T_TMP/r1.ptyh" <<-EOT
	spawn 80 24 $HEXE mux new -s keep
	wait "\$ "
	key C-M-v
	key C-M-s
	type "echo bottom-right\r"
	wait "bottom-right"
	key C-M-t
	key C-M-r
	type "second\r"
	rowre -1 "2:second\\\\*"
	key C-M-p
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/r1.ptyh"
	kill -9 "$(cat "$RT/ses.pid")"
	t_assert_contains "$("$HEXE" ses list)" "keep 4 detached" "four panes back"
	cat >"$T_TMP/r2.ptyh" <<-EOT
	spawn 80 24 $HEXE mux attach keep
	wait "bottom-right"
	cell 0 40 char="│"
	cell 11 40 char="├"
	rowre -1 "^\\\\[keep\\\\] 1\\\\* 2:second "
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/r2.ptyh"
}

test_actions_from_cli() {
	"$HEXE" mux new -d -s cli -x 81 -y 23
	"$HEXE" mux action -t cli split.vertical
	"$HEXE" mux action -t cli split.horizontal
	"$HEXE" mux action -t cli tab.new
	t_assert_contains "$("$HEXE" ses list)" "cli 4 " "4 panes"
	local err rc=0
	err=$("$HEXE" mux action -t cli tab.goto 9 2>&1) || rc=$?
	t_assert_eq "$rc" 1 "bad tab"
	t_assert_contains "$err" "tab.goto: expected a tab number from 1 to 2" "message"
	rc=0
	err=$("$HEXE" mux action -t cli frobnicate 2>&1) || rc=$?
	t_assert_contains "$err" 'unknown action "frobnicate"' "unknown action"
	"$HEXE" mux action -t cli tab.close
	t_wait_for 5 sh -c '"$HEXE" ses list | grep -q "^cli 3 "'
}

test_capture_screen() {
	cat >"$T_TMP/c.ptyh" <<-EOT
	spawn 80 24 $HEXE mux new -s cs
	wait "\$ "
	key C-M-v
	type "echo right-side\r"
	wait "right-side"
	drain 300
	screen $T_TMP/seen.txt
	sh "$HEXE mux capture -t cs --screen > $T_TMP/captured.txt"
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/c.ptyh"
	diff "$T_TMP/seen.txt" "$T_TMP/captured.txt"
	grep -q "right-side" "$T_TMP/captured.txt"
	local err rc=0
	err=$("$HEXE" mux capture -t cs --screen 2>&1) || rc=$?
	t_assert_eq "$rc" 1 "detached"
	t_assert_contains "$err" 'session "cs" is not attached' "message"
}

test_mouse_reaches_vim() {
	printf 'line %s\n' $(seq 1 50) >"$HOME/m.txt"
	cat >"$T_TMP/v.ptyh" <<-EOT
	spawn 80 24 $HEXE mux new -s vm -- vim -u NONE -N -c "set mouse=a" $HOME/m.txt
	wait "line 1"
	cursor 0 0
	# a click on row 6, column 4 (1-based) moves vim's cursor there
	type "\e[<0;4;6M\e[<0;4;6m"
	cursor 5 3
	# the wheel goes to vim too: it scrolls its own view, no history view
	type "\e[<65;10;10M"
	nottext "/0]"
	type ":qa!\r"
	expect-exit 0
	EOT
	ptyh "$T_TMP/v.ptyh"
}

test_help_overlay() {
	cat >"$T_TMP/h.ptyh" <<-EOT
	spawn 80 24 $HEXE mux new -s hp
	wait "\$ "
	# Ctrl+/ is 0x1f on a legacy terminal
	type "\\e\\x1f"
	wait "keys (any key closes)"
	wait "split.vertical"
	wait "ctrl+alt+v"
	key Space
	gone "keys (any key closes)"
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/h.ptyh"
}

t_run "a program that asks for the mouse gets it" test_mouse_reaches_vim
t_run "Ctrl+Alt+/ shows the bindings" test_help_overlay
t_run "capture --screen is what the terminal shows" test_capture_screen
t_run "split, geometric focus, close" test_split_focus_close
t_run "zoom and back" test_zoom
t_run "tabs, rename, next/prev, status bar" test_tabs_and_status_bar
t_run "mouse click focuses, border drag resizes" test_mouse_focus_and_drag
t_run "wheel and Shift+PageUp show history" test_wheel_and_pageup_history
t_run "tabs and splits survive a daemon restart" test_graph_survives_ses_restart
t_run "actions from the command line" test_actions_from_cli
