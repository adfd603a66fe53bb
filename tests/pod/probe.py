#!/usr/bin/env python3
"""Containment probe: runs INSIDE a pane (tests/pod/10_containment.sh).

usage: probe.py PROFILE RESDIR

Reads the host-side fixtures from RESDIR/fixtures (key=value lines, made
by the test: host pid, listener port, socket paths, SysV ids, markers),
checks what the pane can see and do, writes RESDIR/PROFILE.txt (key=value,
one per check, errno names for failures, "ok" for success), touches
RESDIR/PROFILE.done, then waits (at most 60 s) for RESDIR/PROFILE.release
so the test can look at the host while the pane is alive.

Nothing here sends traffic off the machine: the route check is a UDP
connect(), which sends nothing.
"""
import ctypes
import errno
import os
import socket
import subprocess
import sys
import time

prof, resdir = sys.argv[1], sys.argv[2]
fix = {}
with open(os.path.join(resdir, "fixtures")) as f:
    for line in f:
        k, _, v = line.rstrip("\n").partition("=")
        fix[k] = v
out = []


def rec(key, val):
    out.append("%s=%s" % (key, val))


def ename(e):
    return errno.errorcode.get(e.errno, str(e.errno))


def attempt(fn):
    """'ok' or the errno name."""
    try:
        fn()
        return "ok"
    except OSError as e:
        return ename(e)


def sh(cmd):
    p = subprocess.run(cmd, shell=True, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=20)
    return p.returncode, p.stdout.decode(errors="replace")


tok = fix["tok"]
private_tmp = prof in ("balanced", "full")

# row 1: capabilities and no_new_privs of the pane's program.
with open("/proc/self/status") as f:
    for line in f:
        k, _, v = line.partition(":")
        if k in ("CapEff", "CapPrm", "CapInh", "CapBnd", "CapAmb", "NoNewPrivs"):
            rec("r1." + k, v.strip())

# row 2: root-owned host paths, and who owns what the pane creates.
rec("r2.uid", os.getuid())
rec("r2.euid", os.geteuid())
if prof == "none":
    # Never write /etc for real where it might work.
    rec("r2.etc_writable", "yes" if os.access("/etc", os.W_OK) else "no")
else:
    path = "/etc/podtest-" + tok

    def touch_etc():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        os.unlink(path)  # should never happen: remove it at once
    rec("r2.etc_touch", attempt(touch_etc))
with open(os.path.join(resdir, prof + ".owned"), "w") as f:
    f.write("x")

# row 3: a setuid-root copy of id.
if fix.get("suid"):
    try:
        rec("r3.suid_euid", subprocess.run([fix["suid"], "-u"], stdout=subprocess.PIPE,
                                           timeout=10).stdout.decode().strip())
    except OSError as e:
        rec("r3.suid_euid", "exec-" + ename(e))

# row 4: a nested user namespace cannot undo the pane's mounts.
if prof != "none":
    rc, txt = sh("unshare -U -r -m sh -c 'umount /tmp 2>/dev/null; echo tmp=$?; "
                 "umount /proc 2>/dev/null; echo proc=$?; ls -a /tmp'")
    rec("r4.nested", "ok" if "tmp=" in txt else "refused")
    for line in txt.splitlines():
        if line.startswith("tmp="):
            rec("r4.umount_tmp", line[4:])
        if line.startswith("proc="):
            rec("r4.umount_proc", line[5:])
    rec("r4.marker_seen", "yes" if fix["tmpmarker"].split("/")[-1] in txt.split() else "no")

# row 5: host pids.
rec("r5.nprocs", sum(1 for d in os.listdir("/proc") if d.isdigit()))
hostpid = int(fix["hostpid"])
rec("r5.kill", attempt(lambda: os.kill(hostpid, 0)))
rec("r5.proc_host", "yes" if os.path.exists("/proc/%d" % hostpid) else "no")

# row 7: host name. Only tried where the pane has its own UTS namespace:
# anywhere else a root pane of profile none would rename the host.
rec("r7.hostname", socket.gethostname())
if prof == "full":
    rec("r7.sethostname", attempt(lambda: socket.sethostname("pod-renamed-" + tok)))

# row 8: network.
if prof == "full":
    rc, txt = sh("ip -o link show")
    rec("r8.links", ",".join(sorted(l.split(":")[1].strip().split("@")[0]
                                    for l in txt.splitlines() if ":" in l)))
    rc, txt = sh("ip -o addr show")
    addrs = sorted(l.split()[3] for l in txt.splitlines() if len(l.split()) > 3)
    rec("r8.addrs", ",".join(addrs))
    rc, txt = sh("ip -4 route show table main")
    rec("r8.routes4", len([l for l in txt.splitlines() if l.strip()]))
    rc, txt = sh("ip -6 route show table main")
    rec("r8.routes6_out", len([l for l in txt.splitlines()
                               if l.strip() and " dev lo" not in l]))

    def own(family, addr):
        srv = socket.socket(family, socket.SOCK_STREAM)
        srv.bind((addr, 0))
        srv.listen(1)
        c = socket.socket(family, socket.SOCK_STREAM)
        c.settimeout(5)
        c.connect(srv.getsockname()[:2])
        c.close()
        srv.close()
    rec("r8.own4", attempt(lambda: own(socket.AF_INET, "127.0.0.1")))
    rec("r8.own6", attempt(lambda: own(socket.AF_INET6, "::1")))

    def udp():
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.connect(("192.0.2.1", 9))  # a route lookup; sends nothing
        s.close()
    rec("r8.route_out", attempt(udp))


# rows 9, 10: host listeners.
def conn(family, addr):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(5)
    try:
        s.connect(addr)
    finally:
        s.close()


rec("r9.tcp", attempt(lambda: conn(socket.AF_INET, ("127.0.0.1", int(fix["port"])))))
rec("r9.abstract", attempt(lambda: conn(socket.AF_UNIX, "\0" + fix["abstract"])))
rec("r10.xdg_sock", attempt(lambda: conn(socket.AF_UNIX, fix["xdgsock"])))
rec("r10.ses_sock", attempt(lambda: conn(socket.AF_UNIX, fix["sessock"])))


# row 11: SysV IPC and /dev/shm.
def sysv_ids(kind):
    try:
        with open("/proc/sysvipc/" + kind) as f:
            next(f)
            return {l.split()[1] for l in f if l.strip()}
    except OSError:
        return set()


rec("r11.msg_seen", "yes" if fix["msqid"] in sysv_ids("msg") else "no")
rec("r11.shm_seen", "yes" if fix["shmid"] in sysv_ids("shm") else "no")
rec("r11.devshm_seen", "yes" if os.path.exists(fix["shmmarker"]) else "no")

# row 12: /tmp.
rec("r12.marker_seen", "yes" if os.path.exists(fix["tmpmarker"]) else "no")
if private_tmp:
    podfile = "/tmp/podfile-%s-%s" % (prof, tok)
    rec("r12.create", attempt(lambda: open(podfile, "w").close()))
with open("/proc/self/mountinfo") as f:
    for line in f:
        fields = line.split()
        if fields[4] == "/tmp":
            rec("r12.tmpdev", fields[2])

# row 13: the size of the fresh /tmp (never on the host's /tmp).
if private_tmp:
    total, err = 0, "none"
    block = b"\0" * (1 << 20)
    try:
        with open("/tmp/fill-" + tok, "wb", buffering=0) as f:
            while total < (512 << 20):
                total += f.write(block)
    except OSError as e:
        err = ename(e)
    try:
        os.unlink("/tmp/fill-" + tok)
    except OSError:
        pass
    rec("r13.fill_error", err)
    rec("r13.fill_bytes", total)

# row 15: root-owned host paths.
if prof == "none":
    rec("r15.usr_writable", "yes" if os.access("/usr", os.W_OK) else "no")
else:
    path = "/usr/podtest-" + tok

    def touch_usr():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        os.unlink(path)
    rec("r15.usr_touch", attempt(touch_usr))

with open(os.path.join(resdir, prof + ".txt"), "w") as f:
    f.write("\n".join(out) + "\n")
open(os.path.join(resdir, prof + ".done"), "w").close()
end = time.time() + 60
while time.time() < end and not os.path.exists(os.path.join(resdir, prof + ".release")):
    time.sleep(0.05)
