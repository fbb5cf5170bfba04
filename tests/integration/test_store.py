#!/usr/bin/env python3
"""The evidence store under attack and under failure.

  four-eyes  self-approval, unknown, disabled and wrong-role accounts are
             refused; a second approver releases the exact original;
  tamper     changing, deleting, reordering and inserting audit rows with
             the sqlite3 CLI, and cutting the tail, are each caught by
             `sanso log verify` (exit 1, first bad record named);
  prune      records past retention go behind a signed checkpoint and the
             log still verifies;
  crash      a writer is SIGKILLed at random points, hundreds of times;
             after each kill the database passes its integrity check, no
             partial original is visible, every acknowledged item is
             there with the right bytes, and the chain verifies;
  disk full  a small tmpfs fills up: the writer fails with a clear
             error, `sanso file sanitize --store` exits 3 without output,
             and nothing already stored is lost.
"""
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from testlib import Checks  # noqa: E402

KILLS = int(os.environ.get("SANSO_CRASH_KILLS", "300"))


def sanso(exe, *args, **kw):
    return subprocess.run([exe, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def store_item(exe, store, tmp, name, data):
    p = os.path.join(tmp, name)
    with open(p, "wb") as f:
        f.write(data)
    rp = os.path.join(tmp, name + ".json")
    sanso(exe, "file", "sanitize", p, "-o", os.path.join(tmp, "out-" + name),
          "--report", rp, "--store", store, "--quiet")
    return json.load(open(rp))["quarantine_id"]


def four_eyes(t, exe, tmp):
    st = os.path.join(tmp, "fe")
    for u, r in (("alice", "operator"), ("bob", "approver"), ("carol", "approver"),
                 ("dave", "approver"), ("aud", "auditor")):
        t.check("user add %s" % u, sanso(exe, "user", "add", u, "--role", r, "--store", st).returncode == 0)
    t.check("duplicate user refused", sanso(exe, "user", "add", "bob", "--role", "admin", "--store", st).returncode == 1)
    t.check("user disable", sanso(exe, "user", "disable", "dave", "--store", st).returncode == 0)
    users = json.loads(sanso(exe, "user", "list", "--json", "--store", st).stdout)
    t.check("user list shows dave disabled", {"name": "dave", "role": "approver", "disabled": True} in users, users)
    original = b"<html><script>alert(1)</script>original</html>"
    qid = store_item(exe, st, tmp, "page.html", original)
    t.check("item stored held", json.loads(sanso(exe, "quarantine", "show", qid, "--json", "--store", st).stdout)["state"] == "held")
    rr = sanso(exe, "quarantine", "request-release", qid, "--by", "bob", "--reason", "case 7", "--store", st)
    t.check("bob requests", rr.returncode == 0, rr.stderr)
    out = os.path.join(tmp, "released.html")
    for who, why in (("bob", "four-eyes"), ("dave", "disabled"), ("eve", "unknown"),
                     ("alice", "not approver"), ("aud", "auditor")):
        r = sanso(exe, "quarantine", "approve", qid, "--by", who, "-o", out, "--store", st)
        t.check("approve by %s refused (%s)" % (who, why), r.returncode == 1 and not os.path.exists(out), r.stderr)
    r = sanso(exe, "quarantine", "approve", qid, "--by", "carol", "-o", out, "--store", st)
    t.check("carol approves", r.returncode == 0, r.stderr)
    t.check("released bytes are the original", open(out, "rb").read() == original)
    show = json.loads(sanso(exe, "quarantine", "show", qid, "--json", "--store", st).stdout)
    t.check("state released, history of 3", show["state"] == "released" and
            [h["state"] for h in show["history"]] == ["held", "release-requested", "released"], show)
    r = sanso(exe, "quarantine", "approve", qid, "--by", "carol", "-o", out + "2", "--store", st)
    t.check("second approval refused", r.returncode == 1)
    qid2 = store_item(exe, st, tmp, "b.txt", b"another original\n")
    sanso(exe, "quarantine", "request-release", qid2, "--by", "alice", "--reason", "please", "--store", st)
    r = sanso(exe, "quarantine", "reject", qid2, "--by", "bob", "--reason", "not justified", "--store", st)
    t.check("bob rejects alice's request", r.returncode == 0, r.stderr)
    t.check("state rejected", json.loads(sanso(exe, "quarantine", "show", qid2, "--json", "--store", st).stdout)["state"] == "rejected")
    r = sanso(exe, "quarantine", "request-release", qid2, "--by", "alice", "--reason", "", "--store", st)
    t.check("request without reason refused", r.returncode != 0)
    v = sanso(exe, "log", "verify", "--store", st, "--json")
    t.check("log verifies after workflow", v.returncode == 0, v.stdout)
    ev = [json.loads(l)["event"] for l in sanso(exe, "log", "export", "--format", "jsonl", "--store", st).stdout.splitlines()]
    t.check("refusals are audited", ev.count("release.approve-refused") >= 5, ev)
    t.check("approval audited", "release.approved" in ev and "release.rejected" in ev)
    return st


def verify(exe, st):
    r = sanso(exe, "log", "verify", "--store", st, "--json")
    try:
        return r.returncode, json.loads(r.stdout)
    except ValueError:
        return r.returncode, {}


def tamper(t, exe, base, tmp):
    cases = {
        "change": ["UPDATE audit SET verdict='clean' WHERE seq=2"],
        "delete": ["DELETE FROM audit WHERE seq=3"],
        "reorder": ["UPDATE audit SET seq=-1 WHERE seq=2", "UPDATE audit SET seq=2 WHERE seq=3",
                    "UPDATE audit SET seq=3 WHERE seq=-1"],
        "insert": ["UPDATE audit SET seq=seq+1000 WHERE seq>=4", "UPDATE audit SET seq=seq-999 WHERE seq>=1004",
                   "INSERT INTO audit SELECT 4, time, actor, 'user.added', zone_from, zone_to, object_sha,"
                   " 'mallory', verdict, findings, detail, mac FROM audit WHERE seq=3"],
        "cut-tail": ["DELETE FROM audit WHERE seq >= (SELECT max(seq) - 1 FROM audit)"],
        "mac-copy": ["UPDATE audit SET detail='forged', mac=(SELECT mac FROM audit WHERE seq=1) WHERE seq=1"],
    }
    expect_first = {"change": 2, "delete": 3, "reorder": 2, "insert": 4, "mac-copy": 1}
    for name, sqls in cases.items():
        d = os.path.join(tmp, "tamper-" + name)
        shutil.copytree(base, d)
        db = sqlite3.connect(os.path.join(d, "sanso.db"))
        for s in sqls:
            db.execute(s)
        db.commit()
        db.close()
        rc, v = verify(exe, d)
        t.check("tamper %s: verify exits 1" % name, rc == 1, (rc, v))
        if name in expect_first:
            t.check("tamper %s: first bad record %d" % (name, expect_first[name]),
                    v.get("first_bad") == expect_first[name], v)
        else:
            t.check("tamper %s: named as cut" % name, "cut" in v.get("reason", ""), v)
    # the sqlite3 CLI itself, as an admin would use it
    d = os.path.join(tmp, "tamper-cli")
    shutil.copytree(base, d)
    subprocess.run(["sqlite3", os.path.join(d, "sanso.db"), "UPDATE audit SET actor='nobody' WHERE seq=5;"], check=True)
    rc, v = verify(exe, d)
    t.check("tamper via sqlite3 CLI caught at 5", rc == 1 and v.get("first_bad") == 5, v)


def prune(t, exe, base, tmp):
    d = os.path.join(tmp, "prune")
    shutil.copytree(base, d)
    before = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 2 * 86400))
    r = sanso(exe, "log", "prune", "--before", before, "--store", d)
    t.check("prune runs", r.returncode == 0, r.stderr)
    rc, v = verify(exe, d)
    t.check("pruned log verifies behind checkpoint", rc == 0 and v["checkpoint"] > 0, v)
    db = sqlite3.connect(os.path.join(d, "sanso.db"))
    db.execute("UPDATE checkpoints SET mac=substr(mac,2)||'0'")
    db.commit()
    db.close()
    rc, v = verify(exe, d)
    t.check("forged checkpoint caught", rc == 1, v)


def check_store(st, acked):
    """Return a list of problems with a store after a crash."""
    problems = []
    if not os.path.exists(os.path.join(st, "sanso.db")):
        return ["acknowledged items but no database"] if acked else []
    db = sqlite3.connect(os.path.join(st, "sanso.db"))
    ic = db.execute("PRAGMA integrity_check").fetchone()[0]
    if ic != "ok":
        problems.append("integrity_check: " + ic)
    try:
        rows = dict(db.execute("SELECT id, sha256 FROM items").fetchall())
    except sqlite3.OperationalError:
        # Killed while the very first open was creating the schema:
        # a database with no tables, and nothing acknowledged yet.
        rows = {}
    db.close()
    for qid, sha in acked:
        if rows.get(qid) != sha:
            problems.append("acknowledged %s missing" % qid)
    blobs = os.path.join(st, "blobs")
    for sub in (os.listdir(blobs) if os.path.isdir(blobs) else []):
        for name in os.listdir(os.path.join(blobs, sub)):
            data = open(os.path.join(blobs, sub, name), "rb").read()
            if hashlib.sha256(data).hexdigest() != name:
                problems.append("partial or corrupt blob visible: " + name)
    for sha in rows.values():
        if not os.path.exists(os.path.join(blobs, sha[:2], sha)):
            problems.append("row without its original: " + sha)
    return problems


def crash(t, exe, writer, tmp):
    st = os.path.join(tmp, "crash")
    acked = []
    rng = random.Random(1234)
    bad = 0
    kills = 0
    stages = {"before-first-ack": 0, "mid-run": 0}
    while kills < KILLS:
        p = subprocess.Popen([writer, st, "100000", str(rng.choice([64, 4096, 65536]))],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.0, 0.15))
        p.send_signal(signal.SIGKILL)
        out, _ = p.communicate()
        kills += 1
        lines = [l.split() for l in out.decode().splitlines() if l.startswith("ACK ")]
        stages["mid-run" if lines else "before-first-ack"] += 1
        acked.extend((l[1], l[2]) for l in lines)
        problems = check_store(st, acked)
        if problems:
            bad += 1
            print("     kill %d: %s" % (kills, problems[:3]))
            break
    t.check("crash: %d SIGKILLs, store consistent after each (%d acked items, %s)"
            % (kills, len(acked), stages), bad == 0 and len(acked) > 0)
    rc, v = verify(exe, st)
    t.check("crash: audit chain verifies", rc == 0, v)


def disk_full(t, exe, writer, tmp):
    mnt = os.path.join(tmp, "small")
    os.mkdir(mnt)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mnt],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        print("SKIP disk-full: cannot mount a tmpfs here (%s)" % r.stderr.decode().strip())
        return
    try:
        st = os.path.join(mnt, "store")
        p = subprocess.run([writer, st, "1000", "65536"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        acked = [tuple(l.split()[1:3]) for l in p.stdout.decode().splitlines() if l.startswith("ACK ")]
        err = p.stderr.decode()
        t.check("disk full: writer fails cleanly", p.returncode == 1 and len(acked) > 0, (p.returncode, err))
        t.check("disk full: error names the cause", "space" in err.lower() or "full" in err.lower(), err)
        t.check("disk full: every acknowledged item intact (%d)" % len(acked), not check_store(st, acked))
        big = os.path.join(tmp, "big.txt")
        with open(big, "wb") as f:
            f.write(b"x" * 4_000_000)
        out = os.path.join(tmp, "big-out.txt")
        r = sanso(exe, "file", "sanitize", big, "-o", out, "--store", st, "--report", out + ".json", "--quiet")
        rep = json.load(open(out + ".json"))
        t.check("disk full: sanitize --store exits 3, verdict error, no output",
                r.returncode == 3 and rep["verdict"] == "error" and not os.path.exists(out), (r.returncode, rep))
        t.check("disk full: nothing stored lost", not check_store(st, acked))
    finally:
        subprocess.run(["umount", mnt])


def main():
    exe, writer = sys.argv[1], sys.argv[2]
    t = Checks()
    with tempfile.TemporaryDirectory() as tmp:
        base = four_eyes(t, exe, tmp)
        tamper(t, exe, base, tmp)
        prune(t, exe, base, tmp)
        crash(t, exe, writer, tmp)
        disk_full(t, exe, writer, tmp)
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
