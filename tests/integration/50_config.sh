#!/usr/bin/env bash
# `hexe config check`: every example of the isolation spec loads and prints
# its resolved values with their sources; broken configs exit 1 with every
# error; the environment beats Lua and says so; the default keymap printed
# is the one docs/config.md documents.
source "$(dirname "$0")/../lib.sh"
hexe_env_setup

EX=$HEXE_ROOT/examples
unset HEXE_VOIDBOX_PROFILE HEXE_CGROUP_MEM_MAX HEXE_CGROUP_CPU_MAX \
	HEXE_CGROUP_PIDS_MAX HEXE_POD_STRICT HEXE_CONFIG

# check FILE LINE...: exits 0 and prints every LINE.
check_ok() {
	local file=$1 out
	shift
	out=$("$HEXE" config check "$file" 2>&1) || {
		printf 'config check %s failed:\n%s\n' "$file" "$out"
		return 1
	}
	for line in "$@"; do
		t_assert_contains "$out" "$line" "$file"
	done
}

# check_bad SOURCE ERROR...: exits 1 and prints every ERROR on stderr.
check_bad() {
	local src=$1 out rc=0 cfg=$T_TMP/bad.lua
	shift
	printf '%s\n' "$src" >"$cfg"
	out=$("$HEXE" config check "$cfg" 2>&1 >/dev/null) || rc=$?
	t_assert_eq "$rc" 1 "exit status for: $src"
	for line in "$@"; do
		t_assert_contains "$out" "${line//@/$cfg}" "errors for: $src"
	done
}

test_spec_examples() {
	check_ok "$EX/basic.lua" "profile = balanced (lua)" "memory = 1G (lua)" \
		"pids = 512 (lua)" "cpu = 50000 100000 (lua)" "strict = false (default)"
	check_ok "$EX/profile-none.lua" "profile = none (lua)" \
		"memory = - (default)" "cpu = - (default)" "pids = - (default)"
	check_ok "$EX/profile-minimal.lua" "profile = minimal (lua)" "pids = - (default)"
	check_ok "$EX/profile-default.lua" "profile = default (lua)" "memory = - (default)"
	check_ok "$EX/profile-balanced.lua" "profile = balanced (lua)" \
		"memory = 2G (lua)" "pids = 1000 (lua)" "cpu = - (default)"
	check_ok "$EX/profile-full.lua" "profile = full (lua)" "memory = 512M (lua)" \
		"pids = 100 (lua)" "cpu = 100000 100000 (lua)"
	check_ok "$EX/development-workstation.lua" "profile = default (lua)" \
		"memory = 4G (lua)" "pids = 2000 (lua)"
	check_ok "$EX/build-server.lua" "profile = balanced (lua)" "memory = 8G (lua)" \
		"cpu = 400000 100000 (lua)" "pids = 5000 (lua)"
	check_ok "$EX/untrusted-code.lua" "profile = full (lua)" "memory = 512M (lua)" \
		"cpu = 50000 100000 (lua)" "pids = 50 (lua)"
	check_ok "$EX/no-isolation.lua" "profile = none (lua)"
	check_ok "$EX/complete.lua" "profile = balanced (lua)" "memory = 2G (lua)" \
		"pids = 1000 (lua)" "cpu = 200000 100000 (lua)" \
		'ses.layout "default" (enabled: every new session)' \
		'float "1" editor' "command = /usr/bin/nvim" "attributes = per_cwd" \
		'float "2" browser' "command = /usr/bin/firefox" \
		"alt+1                float.toggle 1" "alt+2                float.toggle 2"
}

test_every_example_file_checks() {
	local f n=0
	for f in "$EX"/*.lua; do
		"$HEXE" config check "$f" >/dev/null || { echo "failed: $f"; return 1; }
		n=$((n + 1))
	done
	((n >= 13))
}

test_print_goes_to_check_output() {
	check_ok "$EX/verify-loading.lua" "print: Setting isolation profile: balanced" \
		"profile = balanced (lua)"
}

test_env_overrides_shown() {
	local out
	out=$(HEXE_CGROUP_MEM_MAX=3G "$HEXE" config check "$EX/basic.lua")
	t_assert_contains "$out" "memory = 3G (env HEXE_CGROUP_MEM_MAX)" "memory"
	t_assert_contains "$out" "profile = balanced (lua)" "others stay lua"
	out=$(HEXE_VOIDBOX_PROFILE=full "$HEXE" config check "$EX/basic.lua")
	t_assert_contains "$out" "profile = full (env HEXE_VOIDBOX_PROFILE)" "profile"
	out=$(HEXE_CGROUP_CPU_MAX="100000 100000" "$HEXE" config check "$EX/basic.lua")
	t_assert_contains "$out" "cpu = 100000 100000 (env HEXE_CGROUP_CPU_MAX)" "cpu"
	out=$(HEXE_CGROUP_PIDS_MAX=1000 "$HEXE" config check "$EX/basic.lua")
	t_assert_contains "$out" "pids = 1000 (env HEXE_CGROUP_PIDS_MAX)" "pids"
	# The spec's "Environment Variable Override" block, all at once.
	out=$(HEXE_VOIDBOX_PROFILE=full HEXE_CGROUP_MEM_MAX=2G HEXE_CGROUP_PIDS_MAX=1000 \
		HEXE_CGROUP_CPU_MAX="100000 100000" "$HEXE" config check "$EX/complete.lua")
	t_assert_contains "$out" "profile = full (env HEXE_VOIDBOX_PROFILE)" "all: profile"
	t_assert_contains "$out" "memory = 2G (env HEXE_CGROUP_MEM_MAX)" "all: memory"
	t_assert_contains "$out" "pids = 1000 (env HEXE_CGROUP_PIDS_MAX)" "all: pids"
	t_assert_contains "$out" "cpu = 100000 100000 (env HEXE_CGROUP_CPU_MAX)" "all: cpu"
	# Without a config file the environment still applies.
	out=$(HEXE_CGROUP_MEM_MAX=1G "$HEXE" config check)
	t_assert_contains "$out" "memory = 1G (env HEXE_CGROUP_MEM_MAX)" "no file"
	# A bad variable is an error like a bad config.
	local err rc=0
	err=$(HEXE_CGROUP_MEM_MAX=lots "$HEXE" config check "$EX/basic.lua" 2>&1 >/dev/null) || rc=$?
	t_assert_eq "$rc" 1 "bad env exits 1"
	t_assert_contains "$err" 'environment: HEXE_CGROUP_MEM_MAX: expected a size like "512M" or "1G"' "bad env"
}

test_bad_configs() {
	check_bad 'hexe.ses.isolation.set({ memroy = "1G" })' \
		'@:1: ses.isolation.memroy: unknown field; did you mean "memory"? (accepted: profile, memory, cpu, pids, strict, bind, ro_bind)'
	check_bad 'hexe.ses.isolation.set({ profile = "balnced" })' \
		'@:1: ses.isolation.profile: unknown profile "balnced" (expected "none", "minimal", "default", "balanced" or "full"); did you mean "balanced"?'
	check_bad 'hexe.ses.isolation.set({ memory = "lots" })' \
		'@:1: ses.isolation.memory: expected a size like "512M" or "1G" (M = MiB, G = GiB), got "lots"'
	check_bad 'hexe.ses.isolation.set({ pids = true })' \
		'@:1: ses.isolation.pids: expected a number or a numeric string, got boolean true'
	check_bad 'hexe.ses.layout.define({ name = "default", floats = {
  { key = "1", title = "a" },
  { key = "1", title = "b" },
} })' '@:1: ses.layout.floats[2].key: duplicate float key "1" (already used by ses.layout.floats[1] "a")'
	check_bad 'hexe.mux.keymap.set({ ["ctrl+alt+d"] = "detatch" })' \
		'@:1: mux.keymap["ctrl+alt+d"]: unknown action "detatch"; did you mean "detach"?'
	check_bad 'hexe.ses.isolation.set({ profile = "full" ' \
		"@:2: '}' expected (to close '{' at line 1) near <eof>"
	check_bad 'local x = nil
x.y = 1' "@:2: attempt to index a nil value (local 'x')"
	# Every error, not only the first.
	check_bad 'hexe.ses.isolation.set({ memory = "lots" })
hexe.mux.config.setup({ mouse = "yes", statuss = {} })' \
		'@:1: ses.isolation.memory:' '@:2: mux.config.mouse: expected boolean, got string "yes"' \
		'@:2: mux.config.statuss: unknown field; did you mean "status"?' \
		'3 errors: hexe would use the built-in defaults'
}

test_endless_loop_is_bounded() {
	local start end
	start=$(date +%s)
	check_bad 'while true do end' \
		'@:1: the config did not finish within 1000 ms and was stopped (an endless loop?)'
	end=$(date +%s)
	((end - start < 10))
}

test_not_errors() {
	# A float command that is not installed, and more memory than this
	# machine has: notes, exit 0.
	cat >"$T_TMP/big.lua" <<'EOF'
hexe.ses.isolation.set({ profile = "full", memory = "64T", cpu = "100000000 100000" })
hexe.ses.layout.define({ name = "default", floats = {
  { key = "1", command = "/nonexistent/hexe-no-such-editor" } } })
EOF
	check_ok "$T_TMP/big.lua" "memory = 64T (lua)  [note: more than this machine's" \
		"cpu = 100000000 100000 (lua)  [note: more than this machine's" \
		"command = /nonexistent/hexe-no-such-editor  [note: not installed here]"
}

test_default_path_and_missing_file() {
	local out rc=0
	out=$("$HEXE" config check)
	t_assert_contains "$out" "config: $XDG_CONFIG_HOME/hexe/init.lua (no such file: built-in defaults)" "missing = defaults"
	t_assert_contains "$out" "profile = default (default)" "default profile"
	mkdir -p "$XDG_CONFIG_HOME/hexe"
	cp "$EX/profile-full.lua" "$XDG_CONFIG_HOME/hexe/init.lua"
	out=$("$HEXE" config check)
	t_assert_contains "$out" "config: $XDG_CONFIG_HOME/hexe/init.lua" "found"
	t_assert_contains "$out" "profile = full (lua)" "XDG config"
	out=$(HEXE_CONFIG=$EX/profile-minimal.lua "$HEXE" config check)
	t_assert_contains "$out" "profile = minimal (lua)" "HEXE_CONFIG wins"
	rm -f "$XDG_CONFIG_HOME/hexe/init.lua"
	# A FILE named on the command line must exist.
	out=$("$HEXE" config check "$T_TMP/nope.lua" 2>&1) || rc=$?
	t_assert_eq "$rc" 1 "missing FILE exits 1"
	t_assert_contains "$out" "nope.lua: No such file or directory" "names the file"
}

test_default_keymap_matches_docs() {
	local out row chord action n=0
	out=$("$HEXE" config check "$EX/profile-none.lua")
	while IFS= read -r row; do
		chord=$(printf '%s\n' "$row" | awk -F'|' '{ gsub(/[ `]/, "", $2); print $2 }')
		action=$(printf '%s\n' "$row" | awk -F'|' '{ gsub(/ /, "", $3); print $3 }')
		[[ $chord == alt+KEY ]] && continue
		t_assert_contains "$out" "$(printf '  %-20s %s' "$chord" "$action")" "docs row $chord"
		n=$((n + 1))
	done < <(awk '/^#### Default keymap/ { f = 1; next } f && /^#/ { f = 0 }
		f && /^\| `/' "$HEXE_ROOT/docs/config.md")
	t_assert_eq "$n" 17 "rows checked"
}

test_prefix_and_full_example() {
	check_ok "$EX/hexe-full.lua" "mux.keymap after the prefix ctrl+b" \
		"  v                    split.vertical" "  d                    detach" \
		"  1                    float.toggle 1" 'ses.layout "ops" (enabled: hexe mux new -l ops)' \
		"isolation.profile = full (float)" "isolation.memory = 512M (float)" \
		"isolation.cpu = 200000 100000 (lua)" "ctrl+alt+g           function (" \
		"status.position = top (lua)" "scrollback = 20000 (lua)"
	# Unbinding a default: ctrl+alt+x is gone from the keymap.
	if "$HEXE" config check "$EX/hexe-full.lua" | grep -q '^  ctrl+alt+x '; then
		echo "ctrl+alt+x still bound"; return 1
	fi
}

test_help() {
	local out
	out=$("$HEXE" config check --help)
	t_assert_contains "$out" "hexe config check [FILE]" "usage"
	out=$("$HEXE" --help)
	t_assert_contains "$out" "hexe config check [FILE]" "listed in hexe --help"
}

t_run "spec examples print their values" test_spec_examples
t_run "every examples/*.lua passes" test_every_example_file_checks
t_run "print() goes to the check's output" test_print_goes_to_check_output
t_run "environment overrides shown with their source" test_env_overrides_shown
t_run "bad configs exit 1 with every error" test_bad_configs
t_run "an endless loop fails within the time limit" test_endless_loop_is_bounded
t_run "missing command and huge limits are notes, not errors" test_not_errors
t_run "default config path, HEXE_CONFIG, missing files" test_default_path_and_missing_file
t_run "default keymap printed is the documented one" test_default_keymap_matches_docs
t_run "prefix table, float isolation, unbinding" test_prefix_and_full_example
t_run "help" test_help
