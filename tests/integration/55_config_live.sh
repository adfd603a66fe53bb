#!/usr/bin/env bash
# The config as the running processes use it: a broken config leaves hexe
# usable and says so in the status bar; a reload (key or command) brings
# new settings to new panes and floats, and a broken reload keeps the old;
# a Lua key function runs actions and cannot hang the mux.
source "$(dirname "$0")/../lib.sh"
hexe_env_setup

ptyh() { "$PTYH" --timeout 60 "$@"; }
printf '#!/bin/sh\nexec /bin/sh\n' >"$T_TMP/plainsh"
chmod +x "$T_TMP/plainsh"
export SHELL=$T_TMP/plainsh
CFG=$XDG_CONFIG_HOME/hexe/init.lua
mkdir -p "$(dirname "$CFG")"

test_broken_config_shows_error() {
	printf 'hexe.ses.isolation.set({ memory = "lots" })\n' >"$CFG"
	cat >"$T_TMP/b.ptyh" <<-EOT
	spawn 100 24 $HEXE mux new -s broken
	wait "\$ "
	waitre "config error, using defaults: .*memory"
	type "echo still-works\r"
	wait "still-works"
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/b.ptyh"
	printf 'while true do end\n' >"$CFG"
	cat >"$T_TMP/l.ptyh" <<-EOT
	spawn 100 24 $HEXE mux new -s looping
	wait "\$ " 8000
	waitre "config error"
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/l.ptyh"
	rm -f "$CFG"
	"$HEXE" ses stop
}

test_reload_by_command_and_key() {
	rm -f "$CFG"
	"$HEXE" mux new -d -s rl -x 80 -y 23
	local err rc=0
	err=$("$HEXE" mux float 5 -t rl 2>&1) || rc=$?
	t_assert_contains "$err" 'no float is bound to "5"' "no float yet"
	cat >"$CFG" <<-'LUA'
	hexe.ses.layout.define({ name = "default", enabled = true,
	  floats = { { key = "5", title = "five", command = "/bin/sh" } } })
	LUA
	"$HEXE" mux reload
	"$HEXE" mux float 5 -t rl
	t_assert_contains "$("$HEXE" ses list)" "rl 2 " "the new float opens"
	# a broken reload keeps the old config and says why
	printf 'hexe.ses.isolation.set({ profile = "fulll" })\n' >"$CFG"
	rc=0
	err=$("$HEXE" mux reload 2>&1) || rc=$?
	t_assert_eq "$rc" 1 "broken reload fails"
	t_assert_contains "$err" "the old one stays" "says the old stays"
	t_assert_contains "$err" 'did you mean "full"' "suggests the name"
	"$HEXE" mux float 5 -t rl
	# A reload key: the attached mux re-reads its keys (and the daemon its
	# settings); a binding added to the file works right after.
	cat >"$CFG" <<-'LUA'
	hexe.mux.keymap.set({ ["ctrl+alt+e"] = "reload" })
	LUA
	cat >"$T_TMP/k.ptyh" <<-EOT
	spawn 80 24 $HEXE mux attach rl
	wait "\$ "
	key C-M-g
	drain 300
	rowre -1 "^\\\\[rl\\\\] 1\\\\* "
	sh "printf '%s\\\\n' 'hexe.mux.keymap.set({ [\\"ctrl+alt+e\\"] = \\"reload\\", [\\"ctrl+alt+g\\"] = \\"tab.new\\" })' > $CFG"
	key C-M-e
	waitre "config reloaded"
	key C-M-g
	rowre -1 "^\\\\[rl\\\\] 1 2\\\\* "
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/k.ptyh"
	"$HEXE" ses stop
}

test_lua_key_function() {
	cat >"$CFG" <<-'LUA'
	hexe.mux.keymap.set({
	  ["ctrl+alt+g"] = function() hexe.mux.run("tab.new") end,
	  ["ctrl+alt+y"] = function() while true do end end,
	})
	LUA
	cat >"$T_TMP/f.ptyh" <<-EOT
	spawn 100 24 $HEXE mux new -s luakeys
	wait "\$ "
	key C-M-g
	rowre -1 "^\\\\[luakeys\\\\] 1 2\\\\* "
	key C-M-y
	waitre "key ctrl\\\\+alt\\\\+y"
	type "echo alive-after-loop\r"
	wait "alive-after-loop"
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/f.ptyh"
	rm -f "$CFG"
	"$HEXE" ses stop
}

t_run "a broken or looping config leaves hexe usable, shows the error" test_broken_config_shows_error
t_run "reload brings new floats; a broken reload keeps the old" test_reload_by_command_and_key
t_run "Lua key functions run actions; a looping one is stopped" test_lua_key_function

test_layout_opens_tabs() {
	mkdir -p "$T_TMP/proj"
	cat >"$CFG" <<LUA
hexe.ses.layout.define({
  name = "dev", enabled = true,
  tabs = {
    { name = "code", split = "v", ratio = 0.5,
      children = { { command = "sh -c 'echo left-cmd; exec sh'" },
                   { cwd = "$T_TMP/proj" } } },
    { name = "logs", command = "sh -c 'echo in-logs; exec sh'" },
  },
})
hexe.mux.config.setup({ status = { position = "top" } })
LUA
	"$HEXE" ses stop >/dev/null 2>&1 || true
	cat >"$T_TMP/lay.ptyh" <<-EOT
	spawn 81 24 $HEXE mux new -s lay -l dev
	# the status bar is on top; two tabs, the first active
	rowre 0 "^\\\\[lay\\\\] 1:code\\\\* 2:logs "
	wait "left-cmd"
	cell 1 40 char="│"
	# the first pane has the focus; the right one starts in its cwd
	key C-M-l
	type "pwd\r"
	wait "$T_TMP/proj"
	key C-M-n
	wait "in-logs"
	key C-M-d
	expect-exit 0
	EOT
	ptyh "$T_TMP/lay.ptyh"
	t_assert_contains "$("$HEXE" ses list)" "lay 3 " "three panes"
	local err rc=0
	err=$("$HEXE" mux new -d -s nolay -l deev 2>&1) || rc=$?
	t_assert_eq "$rc" 1 "unknown layout"
	t_assert_contains "$err" 'did you mean "dev"' "suggests the name"
	rm -f "$CFG"
	"$HEXE" ses stop
}

t_run "a layout opens its tabs and splits; -l picks it; status on top" test_layout_opens_tabs
