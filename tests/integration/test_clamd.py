#!/usr/bin/env python3
"""sanso against a real clamd with the project's test signatures.

  * EICAR and the project's own marker are blocked with av.<signature>;
  * a marker inside a zip is found (clamd unpacks it);
  * a clean file passes and is scanned (no av.* finding);
  * when clamd is down and AV is required the verdict is error (fail
    closed); when it is not required the file passes with av.unavailable
    reported.
"""
import os
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.dirname(__file__))
from clamd_server import EICAR, MARKER, ClamdServer  # noqa: E402
from testlib import Checks, codes, sanitize  # noqa: E402


def main():
    sanso = sys.argv[1]
    t = Checks()
    with tempfile.TemporaryDirectory() as tmp:
        def path(name, data):
            p = os.path.join(tmp, name)
            with open(p, "wb") as f:
                f.write(data)
            return p

        eicar = path("eicar.txt", EICAR)
        marker = path("marker.txt", b"hello " + MARKER + b" world\n")
        zpath = os.path.join(tmp, "marker.zip")
        with zipfile.ZipFile(zpath, "w") as z:
            z.writestr("inner/readme.txt", b"before " + MARKER + b" after\n")
        clean = path("clean.txt", "こんにちは、世界\n".encode())

        with ClamdServer() as clamd:
            av = ["--clamd", clamd.socket, "--av-required"]
            for name, p, sig in (("eicar", eicar, "av.Sanso.Test.EICAR.UNOFFICIAL"),
                                 ("marker", marker, "av.Sanso.Test.Marker.UNOFFICIAL"),
                                 ("zip", zpath, "av.Sanso.Test.Marker.UNOFFICIAL")):
                out = os.path.join(tmp, "out-" + name)
                rc, rep, err = sanitize(sanso, p, out, os.path.join(tmp, name + ".json"), av)
                t.check("%s: exit 3" % name, rc == 3, "rc=%d %s" % (rc, err[-300:]))
                t.check("%s: blocked" % name, rep is not None and rep["verdict"] == "blocked", rep)
                t.check("%s: %s" % (name, sig), rep is not None and sig in codes(rep), rep and codes(rep))
                t.check("%s: no output" % name, not os.path.exists(out))
            out = os.path.join(tmp, "out-clean.txt")
            rc, rep, err = sanitize(sanso, clean, out, os.path.join(tmp, "clean.json"), av)
            t.check("clean: passes", rc == 0 and rep["verdict"] == "clean", (rc, rep, err[-300:]))
            t.check("clean: no av finding", rep is not None and not [c for c in codes(rep) if c.startswith("av.")], rep)
            t.check("clean: output identical", os.path.exists(out) and open(out, "rb").read() == open(clean, "rb").read())
            sock = clamd.socket

        # clamd is gone now
        rc, rep, _ = sanitize(sanso, clean, os.path.join(tmp, "o1"), os.path.join(tmp, "down.json"),
                              ["--clamd", sock, "--av-required"])
        t.check("down+required: exit 3", rc == 3)
        t.check("down+required: verdict error", rep is not None and rep["verdict"] == "error", rep)
        t.check("down+required: av.unavailable", rep is not None and "av.unavailable" in codes(rep), rep)
        t.check("down+required: no output", not os.path.exists(os.path.join(tmp, "o1")))
        rc, rep, _ = sanitize(sanso, clean, os.path.join(tmp, "o2"), os.path.join(tmp, "down2.json"),
                              ["--clamd", sock])
        t.check("down+optional: passes with av.unavailable reported",
                rc == 0 and rep["verdict"] == "clean" and "av.unavailable" in codes(rep), rep)
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
