#!/usr/bin/env python3
"""Samples for limits that are too large to reach with the default
limits: they run with tests/corpus/policies/small-limits.yaml (see the
"policy" line of each .expect)."""
import io
import os
import random
import zipfile

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "files", "limits")
R = random.Random(7)


def write(name, data, expect):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
    with open(os.path.join(OUT, name + ".expect"), "w") as f:
        f.write(expect)


def main():
    os.makedirs(OUT, exist_ok=True)
    # Three incompressible 50 KB members: 150 KB > archive_total 100 KB,
    # while the ratio stays near 1 (so only the total can stop it).
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_STORED) as z:
        for i in range(3):
            z.writestr("part%d.txt" % i, "".join(R.choice("abcdefghij\n") for _ in range(50_000)))
    write("total.zip", b.getvalue(),
          "# 150 KB of members over archive_total 100 KB\npolicy small-limits.yaml\n"
          "verdict blocked\nfinding limit.archive_total blocked\n")
    # 1500 elements over xml_nodes 1000.
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
           + '<rect width="1" height="1"/>' * 1500 + '</svg>\n')
    write("nodes.svg", svg.encode(),
          "# 1500 elements over xml_nodes 1000\npolicy small-limits.yaml\n"
          "verdict blocked\nfinding limit.xml_nodes blocked\n")
    # A clean 80 KB SVG under the node limit: its rebuilt output is over
    # output_size 64 KB, so the job cannot finish (verdict error).
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>'
           + "x" * 80_000 + '</text></svg>\n')
    write("output.svg", svg.encode(),
          "# rebuilt output over output_size 64 KB\npolicy small-limits.yaml\n"
          "verdict error\ninspect clean\nfinding limit.output_size blocked\n")


if __name__ == "__main__":
    main()
