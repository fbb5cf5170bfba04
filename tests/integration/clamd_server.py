"""Start a private clamd with the project's test signatures.

Everything lives in a temporary folder: the configuration, the unix
socket, the database and the log. Usage:

    with ClamdServer() as clamd:
        clamd.socket  # path for INSTREAM
"""
import hashlib
import os
import shutil
import socket
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
NDB = os.path.join(HERE, "..", "clamd", "sanso-test.ndb")

# EICAR test string, assembled so the source file itself is not a match.
EICAR = ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*").encode()
MARKER = b"SANSO-TEST-MALWARE-MARKER-7f3a"


class ClamdServer:
    def __init__(self, start_timeout=120):
        self.start_timeout = start_timeout
        self.dir = None
        self.proc = None
        self.socket = None

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix="sanso-clamd-")
        db = os.path.join(self.dir, "db")
        os.mkdir(db)
        shutil.copy(NDB, db)
        with open(os.path.join(db, "sanso-test.hdb"), "w") as f:
            f.write("%s:%d:Sanso.Test.EICAR\n" % (hashlib.md5(EICAR).hexdigest(), len(EICAR)))
        self.socket = os.path.join(self.dir, "clamd.sock")
        conf = os.path.join(self.dir, "clamd.conf")
        with open(conf, "w") as f:
            f.write("DatabaseDirectory %s\nLocalSocket %s\nForeground yes\n"
                    "LogFile %s/clamd.log\nPidFile %s/clamd.pid\nUser root\n"
                    "MaxRecursion 17\nMaxFiles 10000\nMaxFileSize 100M\n"
                    "StreamMaxLength 200M\n"
                    % (db, self.socket, self.dir, self.dir))
        self.proc = subprocess.Popen(["clamd", "-c", conf], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.ping():
                return self
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        log = open(os.path.join(self.dir, "clamd.log"), errors="replace").read()[-2000:]
        self.__exit__(None, None, None)
        raise RuntimeError("clamd did not start: %s" % log)

    def ping(self):
        try:
            s = socket.socket(socket.AF_UNIX)
            s.settimeout(2)
            s.connect(self.socket)
            s.sendall(b"zPING\0")
            ok = s.recv(16).startswith(b"PONG")
            s.close()
            return ok
        except OSError:
            return False

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __exit__(self, *exc):
        self.stop()
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
        return False
