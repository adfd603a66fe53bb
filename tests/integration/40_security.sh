#!/usr/bin/env bash
# The runtime dir's ownership and mode, peer credentials on every socket,
# and hostile frames that must only cost the sender its connection.
source "$(dirname "$0")/../lib.sh"
hexe_env_setup

RT=$XDG_RUNTIME_DIR/hexe/$HEXE_INSTANCE

# Send raw bytes to a socket and print what came back before EOF (hex).
raw_send() { # SOCKET HEXBYTES
	python3 - "$1" "$2" <<-'PY'
	import socket, sys
	s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
	s.settimeout(5)
	s.connect(sys.argv[1])
	data = b""
	try:
	    s.sendall(bytes.fromhex(sys.argv[2]))
	except (BrokenPipeError, ConnectionResetError):
	    pass  # closed before we finished: as good as an EOF
	try:
	    while True:
	        chunk = s.recv(65536)
	        if not chunk:
	            break
	        data += chunk
	except socket.timeout:
	    print("TIMEOUT")
	except ConnectionResetError:
	    pass
	print(data.hex())
	PY
}

test_runtime_dir_private() {
	"$HEXE" mux new -d -s sec -- /bin/sh
	t_assert_eq "$(stat -c %a "$RT")" 700 "runtime dir mode"
	t_assert_eq "$(stat -c %a "$RT/log")" 700 "log dir mode"
	t_assert_eq "$(stat -c %a "$RT/ses.sock")" 600 "ses socket mode"
	t_assert_eq "$(stat -c %u "$RT")" "$(id -u)" "owner"
}

test_foreign_runtime_dir_refused() {
	[[ $(id -u) == 0 ]] || t_skip_test "needs root to make a dir owned by someone else"
	local dir=$T_TMP/foreign
	mkdir -m 0700 "$dir"
	chown 65534:65534 "$dir"
	local out rc=0
	out=$(HEXE_RUNTIME_DIR=$dir "$HEXE" ses list 2>&1) || rc=$?
	t_assert_eq "$rc" 1 "refused"
	t_assert_contains "$out" "is owned by uid 65534, not by you" "names the owner"
	[[ ! -e $dir/ses.sock ]]
}

test_open_runtime_dir_closed() {
	local dir=$T_TMP/open
	mkdir -m 0777 "$dir"
	HEXE_RUNTIME_DIR=$dir "$HEXE" ses list >/dev/null
	t_assert_eq "$(stat -c %a "$dir")" 700 "mode fixed"
	HEXE_RUNTIME_DIR=$dir "$HEXE" ses stop
}

test_other_uid_refused() {
	[[ $(id -u) == 0 ]] || t_skip_test "needs root to act as another uid"
	"$HEXE" mux new -d -s peer -- /bin/sh
	# Let uid 65534 reach the socket file, so only SO_PEERCRED stands in
	# the way.
	chmod 0711 "$XDG_RUNTIME_DIR" "$XDG_RUNTIME_DIR/hexe" "$RT" "$T_TMP"
	chmod 0666 "$RT/ses.sock"
	local hello out
	# HELLO (18-byte payload): version 1, min 1, role CLI, pid 1, "x"
	hello=1200000001000000010000000100000002010000000100000078
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups bash -c "$(declare -f raw_send); raw_send '$RT/ses.sock' $hello")
	chmod 0700 "$XDG_RUNTIME_DIR" "$RT"
	chmod 0600 "$RT/ses.sock"
	t_assert_eq "$out" "" "no answer to another uid"
	grep -q "refused connection from uid 65534" "$RT/log/ses.log"
	# The daemon is fine.
	"$HEXE" ses list | grep -q '^peer '
}

test_oversized_frame_drops_connection() {
	"$HEXE" mux new -d -s big -- /bin/sh
	local out
	# length 0xffffffff
	out=$(raw_send "$RT/ses.sock" ffffffff01000000)
	t_assert_eq "$out" "" "connection closed without an answer"
	grep -q "exceeds the" "$RT/log/ses.log"
	"$HEXE" ses list | grep -q '^big '
}

test_malformed_frame_drops_connection() {
	"$HEXE" mux new -d -s mal -- /bin/sh
	local out
	# A HELLO whose payload is 3 bytes of garbage.
	out=$(raw_send "$RT/ses.sock" 03000000010000000a0b0c)
	t_assert_eq "$out" "" "connection closed"
	# Request before HELLO.
	out=$(raw_send "$RT/ses.sock" 0000000016000000)
	t_assert_eq "$out" "" "closed"
	"$HEXE" ses list | grep -q '^mal '
	# A pod socket gets the same treatment.
	local id
	id=$("$HEXE" pod list | awk '$2 == "mal" { print $1 }')
	out=$(raw_send "$RT/pod-$id.sock" ffffff7f01000000)
	t_assert_eq "$out" "" "pod closed the connection"
	"$HEXE" mux send -t mal 'echo pod-still-fine' Enter
	t_wait_for 5 sh -c '"$HEXE" mux capture -t mal | grep -q pod-still-fine'
}

t_run "runtime dir and socket are private" test_runtime_dir_private
t_run "a runtime dir owned by another user is refused" test_foreign_runtime_dir_refused
t_run "an open runtime dir of ours is closed" test_open_runtime_dir_closed
t_run "a connection from another uid is refused" test_other_uid_refused
t_run "an oversized frame drops only that connection" test_oversized_frame_drops_connection
t_run "malformed frames drop only that connection" test_malformed_frame_drops_connection
