"""A private Postfix instance on loopback, for one test or benchmark.

Everything lives under one folder: the configuration (main.cf,
master.cf), the queue, the data folder, the mail log and an smtp-sink
that stands in for the next hop and dumps every message it receives
into a folder the test reads. smtpd listens on 127.0.0.1:smtp_port,
the sink on 127.0.0.1:sink_port; no other inet service is configured,
so nothing listens beyond loopback. The system Postfix instance is
never started, stopped or reconfigured, with one exception: when the
default main.cf exists, the folder is appended to its
alternate_config_directories (under a lock) and removed again on
teardown, as Postfix expects for a non-default instance. When it does
not exist (Postfix installed but unconfigured), nothing is written
there: as root, `postfix -c`, `postqueue -c` and `postsuper -c` work
without it, and creating a system main.cf would be the bigger change.

Usage (as root; stdlib only):

    from postfix_env import PostfixEnv, send_swaks
    with PostfixEnv(tmpdir, milter="unix:/path/milter.sock") as pf:
        rc, transcript = send_swaks(pf.smtp_port, eml_path)
        for path, data in pf.wait_delivered(1, timeout=30):
            ...

milter_default_action is tempfail: an unreachable or failing milter
makes smtpd answer 4xx, and the client keeps the message. To see the
message wait in a Postfix queue and go out once the milter is back,
chain two instances: the front one relays to the one with the milter,
defers on its 4xx and retries quickly (queue_run_delay 1s, backoff
2s..5s):

    back = PostfixEnv(tmp, milter="unix:/path/sansod.sock").start()
    front = PostfixEnv(tmp, relay_to=back).start()
    send_swaks(front.smtp_port, ...)   # 250 from front
    front.queue()                      # deferred: "451 4.7.1 ..." while down
    back.wait_delivered(1)             # once the milter answers again

Teardown (stop(), also run by the context manager, at exit, and on
SIGTERM/SIGHUP when no other handler is installed) deletes the queue,
stops Postfix, SIGKILLs any process still running with this
instance's MAIL_CONFIG (found by pid through /proc), stops the sink
and removes the alternate_config_directories entry.
"""
import atexit
import fcntl
import grp
import json
import os
import pwd
import re
import shutil
import signal
import smtplib
import socket
import subprocess
import tempfile
import time

POSTFIX = "/usr/sbin/postfix"
POSTCONF = "/usr/sbin/postconf"
POSTQUEUE = "/usr/sbin/postqueue"
POSTSUPER = "/usr/sbin/postsuper"
SMTP_SINK = "/usr/sbin/smtp-sink"
SMTP_SOURCE = "/usr/sbin/smtp-source"
SWAKS = "/usr/bin/swaks"
DEFAULT_CONFIG = "/etc/postfix"
LOCK = "/run/lock/sanso-postfix-env.lock"
PREFIX = "sanso-postfix-"

# Only what a relay-only instance needs. chroot is off ("n") so the
# daemons see the temporary folder and a unix: milter socket anywhere.
MASTER_CF = """\
# service type  private unpriv  chroot  wakeup  maxproc command + args
{listen} inet  n       -       n       -       {smtpd_maxproc} smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""


class PostfixError(RuntimeError):
    pass


def available():
    """(True, "") when a private instance can run here, else (False, why)."""
    if os.geteuid() != 0:
        return False, "needs root (Postfix daemons and smtp-sink -u)"
    for p in (POSTFIX, POSTCONF, POSTQUEUE, POSTSUPER, SMTP_SINK):
        if not os.access(p, os.X_OK):
            return False, "%s not installed (apt-get install postfix)" % p
    try:
        pwd.getpwnam("postfix")
    except KeyError:
        return False, "no postfix user"
    return True, ""


def free_port():
    """A TCP port free on 127.0.0.1 right now (the kernel's choice).

    Another process may take it before we bind it; start() checks
    that the listener is really ours and retries on another port."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


def check_milter(milter):
    """Accept only unix:/abs/path or inet:127.0.0.1:port (loopback)."""
    if milter is None:
        return None
    if milter.startswith("unix:") and milter[5:].startswith("/"):
        return milter
    m = re.fullmatch(r"inet:127\.0\.0\.1:(\d+)", milter)
    if m and 0 < int(m.group(1)) < 65536:
        return milter
    raise ValueError("milter must be unix:/path or inet:127.0.0.1:PORT, not %r" % milter)


def _alive(pid):
    """True while pid exists and is not a zombie."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")
    except (OSError, IndexError):
        return False


def _pids_with_config(config_dir):
    """Pids of processes whose environment has MAIL_CONFIG=config_dir.

    master exports MAIL_CONFIG to every daemon it spawns, so this finds
    exactly this instance's processes and nothing of any other."""
    want = b"MAIL_CONFIG=" + os.fsencode(config_dir)
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == os.getpid():
            continue
        try:
            with open("/proc/%s/environ" % d, "rb") as f:
                env = f.read().split(b"\0")
        except OSError:
            continue
        if want in env and _alive(int(d)):
            out.append(int(d))
    return out


def _listening_sockets():
    """{inode: "addr:port"} for every listening TCP socket (v4 and v6)."""
    out = {}
    for name, v6 in (("/proc/net/tcp", False), ("/proc/net/tcp6", True)):
        try:
            lines = open(name).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            f = line.split()
            if len(f) < 10 or f[3] != "0A":  # 0A = LISTEN
                continue
            addr, port = f[1].split(":")
            if v6:
                host = "[%s]" % ":".join(addr[i:i + 4] for i in range(0, 32, 4))
            else:
                host = socket.inet_ntoa(bytes.fromhex(addr)[::-1])
            out[int(f[9])] = "%s:%d" % (host, int(port, 16))
    return out


def _socket_inodes(pid):
    out = set()
    try:
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                t = os.readlink("/proc/%d/fd/%s" % (pid, fd))
            except OSError:
                continue
            if t.startswith("socket:["):
                out.add(int(t[8:-1]))
    except OSError:
        pass
    return out


def parse_sink_dump(raw):
    """Split an smtp-sink dump into (envelope, message bytes).

    smtp-sink writes X-Client-Addr/-Proto, X-Helo-Args, X-Mail-Args,
    X-Rcpt-Args lines, then its own three-line Received: header, then
    the message with LF line ends, then one empty line. envelope is a
    dict: client, proto, helo, mail (MAIL FROM args), rcpt (list)."""
    env = {"client": None, "proto": None, "helo": None, "mail": None, "rcpt": []}
    keys = {b"X-Client-Addr": "client", b"X-Client-Proto": "proto",
            b"X-Helo-Args": "helo", b"X-Mail-Args": "mail"}
    pos = 0
    while True:
        end = raw.find(b"\n", pos)
        if end < 0:
            return env, raw[pos:]
        line = raw[pos:end]
        name, _, val = line.partition(b": ")
        if name in keys:
            env[keys[name]] = val.decode("utf-8", "replace")
        elif name == b"X-Rcpt-Args":
            env["rcpt"].append(val.decode("utf-8", "replace"))
        elif name == b"Received":
            pos = end + 1
            # its continuation lines
            while raw[pos:pos + 1] in (b"\t", b" "):
                nl = raw.find(b"\n", pos)
                pos = len(raw) if nl < 0 else nl + 1
            break
        else:
            break
        pos = end + 1
    body = raw[pos:]
    if body.endswith(b"\n\n"):
        body = body[:-1]
    return env, body


class PostfixEnv:
    """One private Postfix instance plus an smtp-sink next hop.

    tmpdir   an existing folder; the instance lives in a new sub-folder
             (tmpdir's mode gets o+x so the postfix user can reach it).
    milter   None, "unix:/path" or "inet:127.0.0.1:PORT" -> smtpd_milters.
    milter_connect_timeout, milter_command_timeout,
    milter_content_timeout   Postfix time values ("5s", "2m").
    main_cf  extra main.cf settings {name: value}, applied last.
    smtpd_maxproc  smtpd process limit in master.cf ("-" = default 100).
    keep     leave the folder after stop() (for a post-mortem).
    relay_to another running PostfixEnv (or a 127.0.0.1 port) to relay
             to instead of an own smtp-sink; delivered() is then empty.

    Attributes after start(): smtp_port, sink_port, base, config_dir,
    queue_dir, sink_dir, maillog_path.
    """

    def __init__(self, tmpdir, milter=None, milter_connect_timeout="5s",
                 milter_command_timeout="10s", milter_content_timeout="60s",
                 main_cf=None, smtpd_maxproc="-", keep=False, relay_to=None):
        self.tmpdir = os.path.abspath(tmpdir)
        self.milter = check_milter(milter)
        self.milter_timeouts = {"milter_connect_timeout": milter_connect_timeout,
                                "milter_command_timeout": milter_command_timeout,
                                "milter_content_timeout": milter_content_timeout}
        self.extra = dict(main_cf or {})
        self.smtpd_maxproc = smtpd_maxproc
        self.keep = keep
        if isinstance(relay_to, PostfixEnv):
            relay_to = relay_to.smtp_port
        if relay_to is not None and not (isinstance(relay_to, int) and 0 < relay_to < 65536):
            raise ValueError("relay_to must be a started PostfixEnv or a port")
        self.relay_to = relay_to
        self.base = None
        self.config_dir = self.queue_dir = self.data_dir = None
        self.sink_dir = self.maillog_path = None
        self.smtp_port = self.sink_port = None
        self.token = None
        self.sink = None
        self.registered = False
        self.running = False

    # -- life cycle -------------------------------------------------

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def start(self, timeout=30):
        """Create the folders and config, start the sink and Postfix.

        Returns self. Raises PostfixError (after cleaning up) when
        either does not come up, with the mail log tail."""
        ok, why = available()
        if not ok:
            raise PostfixError(why)
        if self.base is not None:
            raise PostfixError("already started")
        st = os.stat(self.tmpdir)
        os.chmod(self.tmpdir, st.st_mode | 0o011)
        self.base = tempfile.mkdtemp(prefix=PREFIX, dir=self.tmpdir)
        os.chmod(self.base, 0o755)
        self.token = os.path.basename(self.base)[len(PREFIX):].lower()
        self.token = re.sub(r"[^a-z0-9]", "x", self.token)
        self.config_dir = os.path.join(self.base, "conf")
        self.queue_dir = os.path.join(self.base, "queue")
        self.data_dir = os.path.join(self.base, "data")
        self.sink_dir = os.path.join(self.base, "sink")
        self.maillog_path = os.path.join(self.base, "maillog")
        pw = pwd.getpwnam("postfix")
        for d in (self.config_dir, self.queue_dir, self.data_dir, self.sink_dir):
            os.mkdir(d, 0o755)
        for d in (self.data_dir, self.sink_dir):
            os.chown(d, pw.pw_uid, pw.pw_gid)
        _ENVS.append(self)
        _install_signal_cleanup()
        try:
            self._register()
            if self.relay_to is None:
                self._start_sink()
            else:
                self.sink_port = self.relay_to
            last = ""
            for _ in range(3):
                self.smtp_port = free_port()
                self._write_config()
                last = self._start_postfix(timeout)
                if last is None:
                    self.running = True
                    return self
                self._postfix_down()
            raise PostfixError("postfix did not start: %s\n%s" % (last, self.maillog()[-3000:]))
        except BaseException:
            self.stop()
            raise

    def stop(self):
        """Tear everything down; safe to call twice and after a failed start."""
        if self.base is None:
            return
        self.running = False
        try:
            if self.config_dir and os.path.exists(os.path.join(self.config_dir, "main.cf")):
                subprocess.run([POSTSUPER, "-c", self.config_dir, "-d", "ALL"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)
        except (OSError, subprocess.SubprocessError):
            pass
        self._postfix_down()
        self._stop_sink()
        self._unregister()
        if self in _ENVS:
            _ENVS.remove(self)
        if not self.keep:
            shutil.rmtree(self.base, ignore_errors=True)
        self.base = None

    def _postfix_down(self):
        """postfix stop, wait for master, then SIGKILL what is left."""
        if not self.config_dir or not os.path.exists(os.path.join(self.config_dir, "main.cf")):
            return
        master = self._master_pid()
        try:
            subprocess.run([POSTFIX, "-c", self.config_dir, "stop"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)
        except (OSError, subprocess.SubprocessError):
            pass
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if (master is None or not _alive(master)) and not _pids_with_config(self.config_dir):
                return
            time.sleep(0.1)
        for pid in ([master] if master else []) + _pids_with_config(self.config_dir):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass

    def _master_pid(self):
        try:
            with open(os.path.join(self.queue_dir, "pid", "master.pid")) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    # -- configuration ----------------------------------------------

    def main_cf(self):
        """The main.cf settings of this instance as a dict."""
        d = self.base
        cf = {
            "compatibility_level": "3.6",
            "queue_directory": self.queue_dir,
            "data_directory": self.data_dir,
            "mail_owner": "postfix",
            "setgid_group": "postdrop",
            "myhostname": "sanso-test-%s.localdomain" % self.token,
            "mydomain": "localdomain",
            "myorigin": "$myhostname",
            "mydestination": "",
            "local_recipient_maps": "",
            "local_transport": "error:local delivery is disabled",
            "relay_domains": "",
            "relayhost": "[127.0.0.1]:%d" % self.sink_port,
            "inet_interfaces": "127.0.0.1",
            "inet_protocols": "ipv4",
            "mynetworks": "127.0.0.0/8",
            "smtpd_relay_restrictions": "permit_mynetworks, reject_unauth_destination",
            "smtpd_peername_lookup": "no",
            "smtpd_error_sleep_time": "0",
            "smtpd_banner": "$myhostname ESMTP sanso-test-%s" % self.token,
            "smtp_dns_support_level": "disabled",
            "smtp_tls_security_level": "none",
            "smtpd_tls_security_level": "none",
            "alias_maps": "",
            "alias_database": "",
            "biff": "no",
            "notify_classes": "",
            "delay_warning_time": "0",
            "message_size_limit": "104857600",
            "maillog_file": self.maillog_path,
            "maillog_file_prefixes": d,
            # Retry quickly once the milter (or the sink) is back. Not 1s:
            # queue file times are whole seconds, so a 1s backoff can send
            # the deferred file back to qmgr while the delivery agent
            # still holds its lock, and qmgr then parks it in incoming
            # for 60 s ("skipped, still being delivered").
            "queue_run_delay": "1s",
            "minimal_backoff_time": "2s",
            "maximal_backoff_time": "5s",
            "maximal_queue_lifetime": "1d",
            "bounce_queue_lifetime": "1d",
        }
        if self.milter:
            cf.update({
                "smtpd_milters": self.milter,
                "milter_default_action": "tempfail",
                "milter_protocol": "6",
            })
            cf.update(self.milter_timeouts)
        cf.update(self.extra)
        return cf

    def _write_config(self):
        with open(os.path.join(self.config_dir, "main.cf"), "w") as f:
            f.write("# private test instance (tests/integration/postfix_env.py)\n")
            for k, v in self.main_cf().items():
                f.write("%s = %s\n" % (k, v))
        with open(os.path.join(self.config_dir, "master.cf"), "w") as f:
            f.write(MASTER_CF.format(listen="127.0.0.1:%d" % self.smtp_port,
                                     smtpd_maxproc=self.smtpd_maxproc))

    def set_milter(self, milter, **timeouts):
        """Change smtpd_milters (None = no milter) and reload.

        smtpd processes serving a session finish it with the old
        setting; new sessions get the new one."""
        self.milter = check_milter(milter)
        self.milter_timeouts.update(timeouts)
        self._write_config()
        self.reload()

    def set_main(self, **params):
        """Set extra main.cf parameters and reload."""
        self.extra.update(params)
        self._write_config()
        self.reload()

    def reload(self):
        self._postfix("reload")
        time.sleep(0.5)

    def _postfix(self, *args, timeout=60):
        r = subprocess.run([POSTFIX, "-c", self.config_dir, *args], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
        if r.returncode != 0:
            raise PostfixError("postfix %s: exit %d: %s" % (" ".join(args), r.returncode,
                                                            r.stdout.decode(errors="replace")))
        return r

    def _prepare_queue(self):
        """Create the queue folders as postfix-files lists them, and let
        `postfix start` skip its checks (quick-start).

        Those checks (post-install create-missing, a find over the
        folders) take 2-5 s per start and only create these folders.
        When postfix-files cannot be read the full checks run."""
        try:
            with open(os.path.join(DEFAULT_CONFIG, "postfix-files")) as f:
                lines = f.read().splitlines()
            owner = pwd.getpwnam("postfix")
            setgid = grp.getgrnam("postdrop").gr_gid
        except (OSError, KeyError):
            return
        made = 0
        for line in lines:
            f = line.split(":")
            if len(f) < 5 or f[1] != "d" or not f[0].startswith("$queue_directory/"):
                continue
            path = os.path.join(self.queue_dir, f[0][len("$queue_directory/"):])
            uid = owner.pw_uid if f[2] == "$mail_owner" else 0
            gid = setgid if f[3] == "$setgid_group" else 0
            os.makedirs(path, exist_ok=True)
            os.chown(path, uid, gid)
            os.chmod(path, int(f[4], 8))
            made += 1
        if made >= 10:
            open(os.path.join(self.queue_dir, "quick-start"), "w").close()

    def _start_postfix(self, timeout):
        """Start master; None when our smtpd answers, else the reason."""
        self._prepare_queue()
        try:
            self._postfix("start", timeout=timeout)
        except (PostfixError, subprocess.SubprocessError) as e:
            return str(e)
        want = ("sanso-test-%s" % self.token).encode()
        log_start = len(self.maillog())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            banner = _banner(self.smtp_port)
            if banner is not None:
                # someone else's listener on a port we thought free
                return None if want in banner else "port %d taken: %r" % (self.smtp_port, banner)
            if "fatal:" in self.maillog()[log_start:]:
                return "fatal error in maillog"
            time.sleep(0.1)
        return "smtpd did not answer on 127.0.0.1:%d" % self.smtp_port

    # -- the sink -----------------------------------------------------

    def _start_sink(self):
        for _ in range(3):
            port = free_port()
            self.sink = self._spawn_sink(port)
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and self.sink.poll() is None:
                b = _banner(port)
                if b is not None:
                    if b"smtp-sink" in b and self._sink_owns(port):
                        self.sink_port = port
                        return
                    break
                time.sleep(0.05)
            self._stop_sink()
        raise PostfixError("smtp-sink did not start")

    def _spawn_sink(self, port):
        with open(os.path.join(self.base, "sink.log"), "ab") as log:
            return subprocess.Popen(
                [SMTP_SINK, "-u", "postfix", "-4", "-d", os.path.join(self.sink_dir, "msg."),
                 "127.0.0.1:%d" % port, "256"], stdout=log, stderr=log)

    def _sink_owns(self, port):
        """True when the listener on port is our smtp-sink's socket."""
        mine = _socket_inodes(self.sink.pid)
        return any(addr == "127.0.0.1:%d" % port and ino in mine
                   for ino, addr in _listening_sockets().items())

    def _stop_sink(self):
        if self.sink is not None:
            if self.sink.poll() is None:
                self.sink.terminate()
                try:
                    self.sink.wait(5)
                except subprocess.TimeoutExpired:
                    self.sink.kill()
                    self.sink.wait()
            self.sink = None

    def stop_sink(self):
        """Take the next hop down (messages then wait in the queue)."""
        self._stop_sink()

    def start_sink(self):
        """Bring the next hop back on the same port."""
        if self.relay_to is not None:
            raise PostfixError("this instance relays to port %d; it has no sink" % self.relay_to)
        if self.sink is not None and self.sink.poll() is None:
            return
        self.sink = self._spawn_sink(self.sink_port)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if _banner(self.sink_port) is not None:
                return
            time.sleep(0.05)
        raise PostfixError("smtp-sink did not come back on port %d" % self.sink_port)

    # -- what the tests look at --------------------------------------

    def delivered_paths(self):
        """Dump files of complete deliveries, oldest first (cheap: no reads).

        A dump the sink still has open (transaction in progress) is left
        out; the sink closes it before it answers the final "."."""
        open_now = set()
        if self.sink is not None and self.sink.poll() is None:
            try:
                for fd in os.listdir("/proc/%d/fd" % self.sink.pid):
                    try:
                        open_now.add(os.readlink("/proc/%d/fd/%s" % (self.sink.pid, fd)))
                    except OSError:
                        pass
            except OSError:
                pass
        items = []
        for name in os.listdir(self.sink_dir):
            p = os.path.join(self.sink_dir, name)
            if p in open_now or not name.startswith("msg."):
                continue
            try:
                items.append((os.stat(p).st_mtime_ns, name, p))
            except OSError:
                pass
        return [p for _, _, p in sorted(items)]

    def delivered(self, raw=False):
        """[(path, bytes)] of complete messages the sink received, oldest first.

        bytes is the message as Postfix relayed it (LF line ends, the
        sink's own envelope lines and Received: header removed); with
        raw=True, the dump file as written."""
        out = []
        for p in self.delivered_paths():
            with open(p, "rb") as f:
                data = f.read()
            out.append((p, data if raw else parse_sink_dump(data)[1]))
        return out

    def envelope(self, path):
        """The envelope smtp-sink recorded for one delivered() path."""
        with open(path, "rb") as f:
            return parse_sink_dump(f.read())[0]

    def delivered_count(self):
        return len(self.delivered_paths())

    def clear_delivered(self):
        """Forget what the sink received so far (deletes the dumps)."""
        for p in self.delivered_paths():
            os.unlink(p)

    def wait_count(self, n, timeout=30):
        """Wait until at least n messages are delivered; return the count.

        Raises TimeoutError with the queue and the log tail."""
        deadline = time.monotonic() + timeout
        while True:
            got = self.delivered_count()
            if got >= n:
                return got
            if time.monotonic() >= deadline:
                raise TimeoutError("%d of %d delivered after %ss; queue: %s\nmaillog tail:\n%s"
                                   % (got, n, timeout, self.queue_entries()[:5],
                                      "\n".join(self.maillog().splitlines()[-25:])))
            time.sleep(0.05)

    def wait_delivered(self, n, timeout=30):
        """Wait until at least n messages are delivered; return delivered().

        Raises TimeoutError with the queue and the log tail."""
        self.wait_count(n, timeout)
        return self.delivered()

    def queue_entries(self):
        """postqueue -j: one dict per queued message (queue_name, queue_id,
        recipients with delay_reason, ...)."""
        r = subprocess.run([POSTQUEUE, "-c", self.config_dir, "-j"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=30)
        if r.returncode != 0:
            raise PostfixError("postqueue -j: %s" % r.stderr.decode(errors="replace"))
        return [json.loads(line) for line in r.stdout.decode().splitlines() if line.strip()]

    def queue(self):
        """Queue ids of the messages Postfix still holds."""
        return [e["queue_id"] for e in self.queue_entries()]

    def wait_queue_empty(self, timeout=30):
        deadline = time.monotonic() + timeout
        while self.queue():
            if time.monotonic() >= deadline:
                raise TimeoutError("queue not empty after %ss: %s" % (timeout, self.queue_entries()))
            time.sleep(0.2)

    def flush(self):
        """Retry every deferred message now (postqueue -f)."""
        subprocess.run([POSTQUEUE, "-c", self.config_dir, "-f"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)

    def maillog(self):
        try:
            with open(self.maillog_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def pids(self):
        """Pids of this instance's Postfix processes and of the sink."""
        out = _pids_with_config(self.config_dir) if self.config_dir else []
        if self.sink is not None and self.sink.poll() is None:
            out.append(self.sink.pid)
        return out

    def listening(self):
        """Addresses ("ip:port") our processes listen on, for asserting
        that nothing but 127.0.0.1 is exposed."""
        mine = set()
        for pid in self.pids():
            mine |= _socket_inodes(pid)
        return sorted(a for ino, a in _listening_sockets().items() if ino in mine)

    # -- alternate_config_directories ----------------------------------

    def _register(self):
        """Append config_dir to the default instance's list, if it has a main.cf."""
        if not os.path.exists(os.path.join(DEFAULT_CONFIG, "main.cf")):
            return
        with _Lock():
            cur = _default_alternates()
            # entries of earlier runs that died without teardown
            cur = [d for d in cur if not (PREFIX in d and not os.path.isdir(d))]
            _set_default_alternates(cur + [self.config_dir])
        self.registered = True

    def _unregister(self):
        if not self.registered:
            return
        try:
            with _Lock():
                cur = _default_alternates()
                _set_default_alternates([d for d in cur if d != self.config_dir])
        except (OSError, subprocess.SubprocessError):
            pass
        self.registered = False

def _raise_exit(signum, frame):
    raise SystemExit(128 + signum)


_ENVS = []


def _install_signal_cleanup():
    """Turn SIGTERM/SIGHUP into SystemExit so finally blocks and stop()
    run (meson's timeout sends SIGTERM; SIGINT already raises
    KeyboardInterrupt). Only where no handler is set, in the main thread."""
    for sig in (signal.SIGTERM, signal.SIGHUP):
        try:
            if signal.getsignal(sig) == signal.SIG_DFL:
                signal.signal(sig, _raise_exit)
        except ValueError:
            pass


@atexit.register
def _stop_all():
    for env in list(_ENVS):
        env.stop()


class _Lock:
    """Serialises edits of the default main.cf between concurrent tests."""

    def __enter__(self):
        path = LOCK if os.path.isdir(os.path.dirname(LOCK)) else os.path.join(
            tempfile.gettempdir(), os.path.basename(LOCK))
        self.f = open(path, "a")
        fcntl.flock(self.f, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.f, fcntl.LOCK_UN)
        self.f.close()
        return False


def _default_alternates():
    r = subprocess.run([POSTCONF, "-c", DEFAULT_CONFIG, "-h", "alternate_config_directories"],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=30)
    return [d for d in re.split(r"[\s,]+", r.stdout.decode().strip()) if d]


def _set_default_alternates(dirs):
    if dirs:
        subprocess.run([POSTCONF, "-c", DEFAULT_CONFIG, "-e",
                        "alternate_config_directories=" + " ".join(dirs)],
                       check=True, timeout=30, stdout=subprocess.DEVNULL)
    else:
        subprocess.run([POSTCONF, "-c", DEFAULT_CONFIG, "-X", "alternate_config_directories"],
                       check=True, timeout=30, stdout=subprocess.DEVNULL)


def _banner(port, host="127.0.0.1"):
    """The SMTP greeting on host:port, or None when nothing answers."""
    try:
        with socket.create_connection((host, port), timeout=2) as s:
            s.settimeout(5)
            data = b""
            while not data.endswith(b"\n"):
                chunk = s.recv(512)
                if not chunk:
                    break
                data += chunk
            try:
                s.sendall(b"QUIT\r\n")
                s.recv(512)
            except OSError:
                pass
            return data
    except OSError:
        return None


# -- clients -----------------------------------------------------------

def send_swaks(port, eml=None, data=None, sender="sender@example.org", to="rcpt@example.net",
               host="127.0.0.1", timeout=120, show_data=False, extra=()):
    """Send one message with swaks; return (exit code, transcript text).

    eml is a file path, data bytes/str (written to a temporary file);
    neither sends swaks' own small test message. swaks sends the file
    as is except that it expands its %TOKENS% and a literal backslash-n
    sequence; use send_smtplib() when the exact bytes matter. Exit 0
    means the message was accepted; 23/24/25/26 mean MAIL/RCPT/DATA/
    end-of-data was refused (see last_reply()). The DATA lines are left
    out of the transcript unless show_data."""
    if not os.access(SWAKS, os.X_OK):
        raise PostfixError("swaks not installed (apt-get install swaks)")
    tmp = None
    args = [SWAKS, "--server", host, "--port", str(port), "--from", sender, "--to", to,
            "--timeout", str(timeout), "--helo", "swaks.example.org"]
    if not show_data:
        args.append("--suppress-data")
    try:
        if data is not None:
            fd, tmp = tempfile.mkstemp(prefix="swaks-", suffix=".eml")
            with os.fdopen(fd, "wb") as f:
                f.write(data.encode() if isinstance(data, str) else data)
            eml = tmp
        if eml is not None:
            args += ["--data", "@" + eml]
        r = subprocess.run(args + list(extra), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout + 30)
        return r.returncode, r.stdout.decode("utf-8", "replace")
    finally:
        if tmp:
            os.unlink(tmp)


def last_reply(transcript):
    """(code, text) of the last server reply in a swaks transcript
    before QUIT (the one that decided the transaction), or (None, "")."""
    replies = []
    for line in transcript.splitlines():
        m = re.match(r"^(?:<-|<\*\*)\s+(\d{3})[ -](.*)$", line)
        if m:
            replies.append((int(m.group(1)), m.group(2)))
    if replies and replies[-1][0] == 221 and len(replies) > 1:
        replies.pop()
    return replies[-1] if replies else (None, "")


def send_smtp_source(port, count, size=None, sessions=1, eml=None, sender="source@example.org",
                     to="rcpt@example.net", host="127.0.0.1", timeout=300, extra=()):
    """smtp-source: count messages over `sessions` parallel sessions.

    size: body bytes of the generated message (-l); eml: send that
    pre-formatted file instead (-F). Returns (exit code, output)."""
    if not os.access(SMTP_SOURCE, os.X_OK):
        raise PostfixError("smtp-source not installed")
    args = [SMTP_SOURCE, "-4", "-m", str(count), "-s", str(sessions), "-f", sender, "-t", to,
            "-M", "smtp-source.example.org"]
    if eml is not None:
        args += ["-F", eml]
    elif size is not None:
        args += ["-l", str(size)]
    r = subprocess.run(args + list(extra) + ["%s:%d" % (host, port)], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=timeout)
    return r.returncode, r.stdout.decode("utf-8", "replace")


def send_smtplib(port, data, sender="sender@example.org", to=("rcpt@example.net",),
                 host="127.0.0.1", timeout=120, conn=None):
    """Send exact bytes over SMTP; return (code, reply text, seconds).

    seconds is the time from sending the final "." to the server's
    reply: the end-of-DATA latency, where a milter's work shows. The
    message is sent as given except for CRLF line ends and dot
    stuffing. Pass an open smtplib.SMTP as conn to reuse a session
    (it is RSET afterwards); otherwise one is opened and closed.
    A 4xx/5xx at MAIL, RCPT or DATA is returned as is with seconds 0."""
    if isinstance(data, str):
        data = data.encode()
    own = conn is None
    s = conn or smtplib.SMTP(host, port, local_hostname="smtplib.example.org", timeout=timeout)
    try:
        if own:
            # Without this, Nagle holds the final "." until the body is
            # ACKed, and a delayed ACK adds ~40 ms to the measured reply.
            s.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            s.ehlo()
        code, msg = s.mail(sender)
        if code != 250:
            return code, msg.decode(errors="replace"), 0.0
        for rcpt in ([to] if isinstance(to, str) else to):
            code, msg = s.rcpt(rcpt)
            if code not in (250, 251):
                s.rset()
                return code, msg.decode(errors="replace"), 0.0
        code, msg = s.docmd("DATA")
        if code != 354:
            return code, msg.decode(errors="replace"), 0.0
        body = re.sub(rb"(?m)^\.", b"..", re.sub(rb"\r?\n", b"\r\n", data))
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        s.send(body)
        t0 = time.perf_counter()
        s.send(b".\r\n")
        code, msg = s.getreply()
        dt = time.perf_counter() - t0
        return code, msg.decode(errors="replace"), dt
    finally:
        if own:
            try:
                s.quit()
            except (smtplib.SMTPException, OSError):
                s.close()
