#!/usr/bin/env bash
# Floats from the config through a real PTY: Alt+key toggles, per-cwd
# instances keep their own screens, a float has its own isolation, it
# closes with its program, survives detach, and is reachable from the CLI.
source "$(dirname "$0")/../lib.sh"
hexe_env_setup

RT=$XDG_RUNTIME_DIR/hexe/$HEXE_INSTANCE
ptyh() { "$PTYH" --timeout 60 "$@"; }
printf '#!/bin/sh\nexec /bin/sh\n' >"$T_TMP/plainsh"
chmod +x "$T_TMP/plainsh"
export SHELL=$T_TMP/plainsh
mkdir -p "$T_TMP/a" "$T_TMP/b"
mkdir -p "$XDG_CONFIG_HOME/hexe"
cat >"$XDG_CONFIG_HOME/hexe/init.lua" <<'LUA'
hexe.ses.layout.define({
  name = "default",
  enabled = true,
  floats = {
    { key = "1", title = "editor", command = "/bin/sh",
      attributes = { per_cwd = true } },
    { key = "2", title = "notes", command = "/bin/sh",
      attributes = { per_cwd = false }, size = { width = 50, height = 50 } },
    { key = "3", title = "brief", command = "sleep 1" },
    { key = "4", title = "boxed", command = "/bin/sh",
      isolation = { profile = "none", pids = 64 } },
  },
})
LUA

test_toggle_focus_and_frame() {
	cat >"$T_TMP/f.ptyh" <<-EOT
	spawn 80 24 $HEXE mux new -s fl
	wait "\$ "
	type "echo tiled-pane\r"
	key M-1
	# a frame with the title, centred, 80 % x 80 % of 80x23
	wait "editor"
	cell 2 8 char="┌"
	type "echo in-float\r"
	wait "in-float"
	sh "$HEXE ses list | grep -q '^fl 2 '"
	key M-1
	gone "editor"
	gone "in-float"
	type "echo back-in-tiled\r"
	wait "back-in-tiled"
	key M-1
	wait "in-float"
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/f.ptyh"
	# floats survive detach: the float is still listed and shown again
	cat >"$T_TMP/f2.ptyh" <<-EOT
	spawn 80 24 $HEXE mux attach fl
	wait "in-float"
	wait "editor"
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/f2.ptyh"
}

test_per_cwd_instances() {
	cat >"$T_TMP/c.ptyh" <<-EOT
	spawn 80 24 $HEXE mux new -s pc
	wait "\$ "
	# The cwd is read when the key is pressed: let the cd happen first.
	type "cd $T_TMP/a; echo now-in-a-\\$((1+1))\r"
	wait "now-in-a-2"
	key M-1
	wait "editor"
	type "pwd; echo first-editor\r"
	wait "first-editor"
	wait "$T_TMP/a"
	key M-1
	gone "editor"
	type "cd $T_TMP/b; echo now-in-b-\\$((1+1))\r"
	wait "now-in-b-2"
	key M-1
	wait "editor"
	type "pwd\r"
	wait "$T_TMP/b"
	nottext "first-editor"
	key M-1
	gone "editor"
	type "clear; cd $T_TMP/a; echo again-in-a-\\$((1+1))\r"
	wait "again-in-a-2"
	key M-1
	wait "first-editor"
	key M-1
	# per_cwd = false: one instance wherever the focus is
	key M-2
	wait "notes"
	type "echo the-notes\r"
	wait "the-notes"
	key M-2
	type "cd $T_TMP/b; echo notes-from-b-\\$((1+1))\r"
	wait "notes-from-b-2"
	key M-2
	wait "the-notes"
	key M-2
	sh "$HEXE ses list | grep -q '^pc 4 '"
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/c.ptyh"
}

test_float_exits_and_cli_toggle() {
	"$HEXE" mux new -d -s ex -x 80 -y 23
	"$HEXE" mux float 3 -t ex
	t_assert_contains "$("$HEXE" ses list)" "ex 2 " "float open"
	t_wait_for 5 sh -c '"$HEXE" ses list | grep -q "^ex 1 "'
	local err rc=0
	err=$("$HEXE" mux float 9 -t ex 2>&1) || rc=$?
	t_assert_eq "$rc" 1 "unknown key"
	t_assert_contains "$err" 'no float is bound to "9"' "message"
}

test_float_isolation_and_capture() {
	"$HEXE" mux new -d -s iso -x 80 -y 23
	"$HEXE" mux float 4 -t iso
	local id
	t_wait_for 5 sh -c '"$HEXE" pod list | awk '\''$2 == "iso"'\'' | wc -l | grep -qx 2'
	id=$("$HEXE" pod list | awk '$2 == "iso" { print $1 }' | sort -n | tail -n 1)
	grep -q "pids=64" "$RT/log/pod-$id.log"
	"$HEXE" mux send -t "iso:$id" 'echo inside-the-float' Enter
	t_wait_for 5 sh -c '"$HEXE" mux capture -t "iso:'"$id"'" | grep -q inside-the-float'
}

t_run "Alt+1 opens, hides and shows a framed float" test_toggle_focus_and_frame
t_run "per_cwd floats: one per directory, screens kept" test_per_cwd_instances
t_run "a float closes with its program; CLI toggle" test_float_exits_and_cli_toggle
t_run "a float's own isolation; capture addresses it" test_float_isolation_and_capture
