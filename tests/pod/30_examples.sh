#!/usr/bin/env bash
# Every example of the isolation spec, as a user's init.lua: a pane started
# with it gets the profile and the limits it asks for, as `hexe pod list`
# and the pod log show; and the environment beats the file.
source "$(dirname "$0")/../lib.sh"
hexe_env_setup

RT=$XDG_RUNTIME_DIR/hexe/$HEXE_INSTANCE
EX=$HEXE_ROOT/examples

# The profile and limits an example file sets, from `hexe config check`.
expected() { # FILE FIELD
	"$HEXE" config check "$1" | awk -v f="$2" '$1 == f && $2 == "=" { print $3; exit }'
}

check_example() { # FILE
	local file=$1 name id line want
	name=$(basename "$file" .lua)
	HEXE_CONFIG=$file "$HEXE" ses stop >/dev/null 2>&1 || true
	HEXE_CONFIG=$file "$HEXE" mux new -d -s "$name" -- /bin/sh
	line=$("$HEXE" pod list | awk -v s="$name" '$2 == s')
	id=${line%% *}
	want=$(expected "$file" profile)
	t_assert_contains "$line" " $want " "$name: pod list profile"
	t_wait_for 5 grep -q "profile=$want" "$RT/log/pod-$id.log"
	for f in memory pids; do
		want=$(expected "$file" "$f")
		[[ $want == - || -z $want ]] && continue
		# the log writes sizes in M or G and numbers as they are
		grep -q "$f=$want" "$RT/log/pod-$id.log" || {
			echo "$name: $f=$want not in the pod log:"
			cat "$RT/log/pod-$id.log"
			return 1
		}
	done
	want=$(expected "$file" cpu)
	if [[ -n $want && $want != - ]]; then
		grep -q "cpu=${want/ //}" "$RT/log/pod-$id.log" ||
			grep -q "cpu=$(sed 's/"//g; s/ /\//' <<<"$want")" "$RT/log/pod-$id.log"
	fi
	"$HEXE" ses kill "$name"
}

test_examples() {
	local f n=0
	for f in "$EX"/basic.lua "$EX"/profile-*.lua "$EX"/development-workstation.lua \
		"$EX"/build-server.lua "$EX"/untrusted-code.lua "$EX"/no-isolation.lua \
		"$EX"/complete.lua; do
		[[ -f $f ]] || { echo "missing example $f"; return 1; }
		HEXE_CONFIG=$f "$HEXE" config check "$f" >/dev/null
		check_example "$f"
		n=$((n + 1))
	done
	((n >= 11))
}

test_env_beats_file() {
	local file=$EX/profile-full.lua id line
	HEXE_CONFIG=$file "$HEXE" ses stop >/dev/null 2>&1 || true
	HEXE_CONFIG=$file HEXE_VOIDBOX_PROFILE=minimal HEXE_CGROUP_PIDS_MAX=77 \
		"$HEXE" mux new -d -s envwins -- /bin/sh
	line=$("$HEXE" pod list | awk '$2 == "envwins"')
	id=${line%% *}
	t_assert_contains "$line" " minimal " "profile from the environment"
	t_wait_for 5 grep -q "pids=77" "$RT/log/pod-$id.log"
	"$HEXE" ses kill envwins
}

t_run "each spec example gives its panes the profile and limits it asks for" test_examples
t_run "the environment beats the config file" test_env_beats_file
