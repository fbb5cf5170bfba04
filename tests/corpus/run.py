#!/usr/bin/env python3
"""Golden corpus runner for `sanso file sanitize` / `sanso file inspect`.

For every sample under tests/corpus/files/ with a sibling .expect file:
  * sanitize it; the exit code must match the verdict (0 clean/sanitized,
    3 blocked/held/error) and the report must carry the expected verdict
    and every expected (code, action) finding (anywhere in the tree);
  * inspect it; the verdict must be the same (unless an "inspect VERDICT"
    line says otherwise: inspect writes no output, so an output limit
    cannot trip there) and the exit code must say
    whether there were findings;
  * when an output was written, an independent reader (qpdf, mutool,
    python's zipfile/xml/gzip/csv) must open it, and sanitizing it again
    must give verdict clean with no finding that removes, blocks or holds
    anything (idempotence).
Prints one line per sample and "N passed, N failed" at the end.
"""
import argparse
import csv
import gzip
import io
import json
import os
import subprocess
import sys
import tempfile
import xml.dom.minidom
import zipfile

PASSING = ("clean", "sanitized")


def parse_expect(path):
    exp = {"verdict": None, "findings": [], "absent": [], "policy": None,
           "inspect": None}
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            words = line.split()
            if words[0] == "verdict" and len(words) == 2:
                exp["verdict"] = words[1]
            elif words[0] == "finding" and len(words) == 3:
                exp["findings"].append((words[1], words[2]))
            elif words[0] == "no-finding" and len(words) == 2:
                exp["absent"].append(words[1])
            elif words[0] == "inspect" and len(words) == 2:
                exp["inspect"] = words[1]
            elif words[0] == "policy" and len(words) == 2:
                exp["policy"] = os.path.join(os.path.dirname(__file__), "policies", words[1])
            else:
                raise ValueError("%s: bad line: %r" % (path, raw))
    if exp["verdict"] is None:
        raise ValueError("%s: no verdict line" % path)
    return exp


def all_findings(report):
    out = [(f["code"], f["action"]) for f in report.get("findings", [])]
    for c in report.get("children", []):
        out.extend(all_findings(c))
    return out


def run(cmd, timeout=300):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=timeout)


# ---- independent readers -------------------------------------------------

def read_zip(path, ooxml):
    with zipfile.ZipFile(path) as z:
        bad = z.testzip()
        if bad is not None:
            return "zip member %s is corrupt" % bad
        names = set(z.namelist())
        for n in names:
            if n.endswith(".xml") or n.endswith(".rels"):
                try:
                    xml.dom.minidom.parseString(z.read(n))
                except Exception as e:  # noqa: BLE001 - report any parse error
                    return "%s does not parse: %s" % (n, e)
        if ooxml:
            if "[Content_Types].xml" not in names:
                return "no [Content_Types].xml"
            err = check_rels(z, names)
            if err:
                return err
    return None


def check_rels(z, names):
    """Every internal relationship target must exist in the package."""
    for n in names:
        if not n.endswith(".rels"):
            continue
        base = os.path.dirname(os.path.dirname(n))
        dom = xml.dom.minidom.parseString(z.read(n))
        for rel in dom.getElementsByTagName("Relationship"):
            if rel.getAttribute("TargetMode").lower() == "external":
                continue
            t = rel.getAttribute("Target")
            if t.startswith("/"):
                target = t[1:]
            else:
                target = os.path.normpath(os.path.join(base, t)).lstrip("/")
            target = target.replace("\\", "/")
            if target not in names and not any(x.startswith(target + "/") for x in names):
                return "%s: relationship target %s missing" % (n, t)
    return None


def reader_for(report_type, out_path):
    """Return None when the output opens, else a message."""
    t = report_type
    ext = os.path.splitext(out_path)[1].lower().lstrip(".")
    if t == "pdf":
        r = run(["qpdf", "--check", out_path])
        if r.returncode != 0:
            return "qpdf --check: %s" % r.stdout.decode(errors="replace")[-300:]
        r = run(["mutool", "info", out_path])
        return None if r.returncode == 0 else "mutool info failed"
    if t in OOXML_TYPES or t == "ooxml-encrypted":
        return read_zip(out_path, True)
    if ext == "zip" or t in ("zip", "7z", "rar", "tar"):
        return read_zip(out_path, False)
    if t == "gzip":
        try:
            with gzip.open(out_path) as g:
                g.read()
        except Exception as e:  # noqa: BLE001
            return "gzip: %s" % e
        return None
    if t in ("jpeg", "png", "gif", "bmp", "tiff", "webp"):
        kind = ext if ext in ("png", "gif", "jpg", "jpeg") else t
        if kind == "png":
            r = run(["pngfix", out_path])
            return None if r.returncode == 0 else "pngfix: %s" % r.stdout[-200:]
        if kind == "gif":
            r = run(["gifsicle", "--info", out_path])
            return None if r.returncode == 0 else "gifsicle: %s" % r.stderr[-200:]
        # mutool exits 0 even on a truncated JPEG: any error or warning
        # line (but the missing ICC support) counts as a failure.
        r = run(["mutool", "draw", "-q", "-F", "png", "-o", os.devnull, out_path])
        bad = [l for l in r.stderr.decode(errors="replace").splitlines()
               if ("error" in l or "warning" in l) and "ICC support" not in l]
        return None if r.returncode == 0 and not bad else "mutool draw: %s" % bad[:3]
    if t == "svg":
        try:
            xml.dom.minidom.parse(out_path)
        except Exception as e:  # noqa: BLE001
            return "svg xml: %s" % e
        return None
    if t == "rtf":
        data = open(out_path, "rb").read()
        if not data.startswith(b"{\\rtf"):
            return "rtf does not start with {\\rtf"
        depth = 0
        i = 0
        while i < len(data):
            c = data[i:i + 1]
            if c == b"\\":
                i += 2
                continue
            if c == b"{":
                depth += 1
            elif c == b"}":
                depth -= 1
                if depth < 0:
                    return "rtf: unbalanced }"
            i += 1
        return None if depth == 0 else "rtf: %d unclosed groups" % depth
    if t == "csv":
        try:
            list(csv.reader(io.StringIO(open(out_path, "rb").read().decode("utf-8", "replace"))))
        except Exception as e:  # noqa: BLE001
            return "csv: %s" % e
        return None
    if t in OLE_TYPES:
        # libgsf's reader, then a strict stdlib reader that also checks
        # the directory tree (tests/corpus/gen/ole.py check).
        r = run(["gsf", "list", out_path])
        if r.returncode != 0 or r.stderr.strip():
            return "gsf list: %s" % (r.stderr or r.stdout)[-200:]
        r = run([sys.executable, os.path.join(os.path.dirname(__file__), "gen", "ole.py"), "check", out_path])
        return None if r.returncode == 0 else "ole.py check: %s" % (r.stdout + r.stderr)[-200:]
    return None  # text, html: any bytes are readable


OOXML_TYPES = {"docx", "docm", "dotx", "dotm", "xlsx", "xlsm", "xltx", "xltm",
               "pptx", "pptm", "potx", "potm", "ppsx", "ppsm", "xlsb", "xlam", "ppam"}
OLE_TYPES = {"doc", "xls", "ppt", "msg", "ole"}


def check_sample(sanso, sample, exp, tmp):
    errors = []
    pol = ["--policy", exp["policy"]] if exp["policy"] else []
    name = os.path.basename(sample)
    out = os.path.join(tmp, "out-" + name)
    rep = os.path.join(tmp, "report.json")
    r = run([sanso, "file", "sanitize", sample, "-o", out, "--report", rep, "--quiet"] + pol)
    try:
        report = json.load(open(rep, encoding="utf-8"))
    except Exception as e:  # noqa: BLE001
        return ["no readable report (exit %d): %s %s" % (r.returncode, e, r.stderr[-300:])]
    verdict = report["verdict"]
    want_exit = 0 if verdict in PASSING else 3
    if r.returncode != want_exit:
        errors.append("exit %d for verdict %s" % (r.returncode, verdict))
    if verdict != exp["verdict"]:
        errors.append("verdict %s, expected %s (findings %s%s)" % (
            verdict, exp["verdict"], all_findings(report),
            ", error: " + report["error"] if report.get("error") else ""))
    found = all_findings(report)
    for f in exp["findings"]:
        if f not in found:
            errors.append("missing finding %s %s (have %s)" % (f[0], f[1], found))
    for code in exp["absent"]:
        if any(c == code for c, _ in found):
            errors.append("finding %s present but must not be" % code)

    # inspect agrees
    ri = run([sanso, "file", "inspect", sample, "--json"] + pol)
    try:
        irep = json.loads(ri.stdout)
        want_v = exp["inspect"] or verdict
        if irep["verdict"] != want_v:
            errors.append("inspect verdict %s, expected %s" % (irep["verdict"], want_v))
        has = bool(all_findings(irep))
        want = 3 if irep["verdict"] == "error" else (1 if has else 0)
        if ri.returncode != want:
            errors.append("inspect exit %d, expected %d" % (ri.returncode, want))
    except Exception as e:  # noqa: BLE001
        errors.append("inspect output unreadable: %s" % e)

    outp = report.get("output")
    if verdict in PASSING:
        if outp is None:
            errors.append("verdict %s but no output in report" % verdict)
            return errors
        written = os.path.join(tmp, outp["name"])
        if not os.path.exists(written):
            errors.append("output %s not written" % outp["name"])
            return errors
        err = reader_for(report["type"] if not outp.get("new_extension") else outp["new_extension"], written)
        if err:
            errors.append("independent reader: " + err)
        out2 = os.path.join(tmp, "again-" + outp["name"])
        rep2 = os.path.join(tmp, "report2.json")
        run([sanso, "file", "sanitize", written, "-o", out2, "--report", rep2, "--quiet"] + pol)
        report2 = json.load(open(rep2, encoding="utf-8"))
        acting = [f for f in all_findings(report2) if f[1] != "reported"]
        if report2["verdict"] != "clean" or acting:
            errors.append("not idempotent: second pass %s %s" % (report2["verdict"], acting))
    elif outp is not None or os.path.exists(out):
        errors.append("verdict %s but an output exists" % verdict)
    return errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sanso", required=True)
    ap.add_argument("--root", default=os.path.join(os.path.dirname(__file__), "files"))
    ap.add_argument("--only", default=None, help="substring filter on sample paths")
    args = ap.parse_args()
    passed = failed = 0
    samples = []
    for dirpath, _, files in os.walk(args.root):
        for f in sorted(files):
            if f.endswith(".expect"):
                samples.append(os.path.join(dirpath, f[:-len(".expect")]))
    samples.sort()
    for s in samples:
        if args.only and args.only not in s:
            continue
        rel = os.path.relpath(s, args.root)
        if not os.path.exists(s):
            print("FAIL %s: sample missing" % rel)
            failed += 1
            continue
        with tempfile.TemporaryDirectory() as tmp:
            try:
                errs = check_sample(args.sanso, s, parse_expect(s + ".expect"), tmp)
            except Exception as e:  # noqa: BLE001 - a runner bug is a failure
                errs = ["runner error: %r" % e]
        if errs:
            failed += 1
            print("FAIL %s" % rel)
            for e in errs:
                print("     %s" % e)
        else:
            passed += 1
            print("ok   %s" % rel)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
