"""A stand-in for `python3 -m notebook` in lab_stand_in_test.ts (run, as the real one, under the
launcher's wrapper by _lab_stand_ins.ts's fakeJupyter: it then gets SIGTERM when the launcher is
gone, however it ended; lab_launcher_killed_test.ts): binds --port= on 127.0.0.1,
answers GET /api/status with 200 only to `Authorization: token $JUPYTER_TOKEN` (403 otherwise,
and always with $FAKE_REFUSE set),
writes nbserver-<pid>.json to $JUPYTER_RUNTIME_DIR 0.5 s after it bound the port (a request
before that is recorded in $FAKE_EARLY_FILE), and starts two children that outlive it: one that
stops on SIGTERM (recording it in $FAKE_TERM_FILE) and one that ignores SIGTERM. On SIGTERM it
removes that file and exits 0, as Jupyter does; with $FAKE_END_CHILDREN set it first ends both
children (SIGKILL, waited for), as Jupyter ends its kernels. With $FAKE_REQUEST_FILE set, the path
of every GET is appended to that file (a browser's page asked for). With $FAKE_SAY set, it prints
that line to stderr once it answers, as Jupyter logs its start."""
import http.server, json, os, signal, subprocess, sys, threading, time

STOPS_ON_TERM = """
import signal, sys, time
def stop(*_):
    with open(sys.argv[1], "w") as f:
        f.write("stopped\\n")
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
time.sleep(60)
"""
port = int(next(a for a in sys.argv if a.startswith("--port=")).split("=", 1)[1])
info = os.path.join(os.environ["JUPYTER_RUNTIME_DIR"], f"nbserver-{os.getpid()}.json")
children = [
    subprocess.Popen([sys.executable, "-c", STOPS_ON_TERM, os.environ["FAKE_TERM_FILE"]]),
    subprocess.Popen(["sh", "-c", "trap '' TERM; exec sleep 60"]),
]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if "FAKE_REQUEST_FILE" in os.environ:
            with open(os.environ["FAKE_REQUEST_FILE"], "a") as f:
                f.write(self.path + "\n")
        if not os.path.exists(info):
            open(os.environ["FAKE_EARLY_FILE"], "w").close()
        ok = self.headers.get("Authorization") == f"token {os.environ['JUPYTER_TOKEN']}" and \
            "FAKE_REFUSE" not in os.environ
        self.send_response(200 if ok else 403)
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", port), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
time.sleep(0.5)
os.makedirs(os.path.dirname(info), exist_ok=True)
with open(info, "w") as f:
    json.dump({"port": port}, f)
if "FAKE_SAY" in os.environ:
    print(os.environ["FAKE_SAY"], file=sys.stderr, flush=True)


def stop(*_):
    if "FAKE_END_CHILDREN" in os.environ:
        for child in children:
            child.kill()
            child.wait()
    os.remove(info)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
while True:
    time.sleep(0.1)
