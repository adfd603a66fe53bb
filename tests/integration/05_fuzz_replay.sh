#!/usr/bin/env bash
# Replays the frame decoder's fuzz corpus through the real decoders, so a
# regression on any stored input fails the suite without clang's fuzzer.
source "$(dirname "$0")/../lib.sh"
hexe_env_setup

test_replay_corpus() {
	local out n
	out=$("$HEXE_BUILD_DIR/tests/replay_frame" "$HEXE_ROOT/tests/fuzz/corpus/frame")
	echo "$out"
	n=$(sed -n 's/^replay: \([0-9]*\) inputs ran$/\1/p' <<<"$out")
	((n >= 30)) || { echo "too few inputs replayed: $n"; return 1; }
}

t_run "fuzz corpus replays cleanly" test_replay_corpus
