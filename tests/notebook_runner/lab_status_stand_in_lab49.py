"""A stand-in for the notebook server in lab_status_lab49_test.ts: binds --port= on 127.0.0.1,
writes nbserver-<pid>.json to $JUPYTER_RUNTIME_DIR as Jupyter does once bound, then answers every
request the way $FAKE_STATUS says:

- "silent": takes the connection and never answers (a hung server);
- "held": 403 to the first request, 200 to the others, each with its headers and the first bytes
  of a body it never finishes (Content-Length says more); the connection is kept open until the
  client lets it go, which is then appended to $FAKE_CLOSED_FILE ("closed <n>"), as each request
  is to $FAKE_ASKED_FILE ("asked <n>").

SIGTERM (the lab's stop) ends it and removes nbserver-<pid>.json."""
import http.server, os, signal, socket, sys, threading, time

port = int(next(a for a in sys.argv if a.startswith("--port=")).split("=", 1)[1])
mode = os.environ["FAKE_STATUS"]
info = os.path.join(os.environ["JUPYTER_RUNTIME_DIR"], f"nbserver-{os.getpid()}.json")
asked = 0
lock = threading.Lock()


def append(path, line):
    with lock, open(path, "a") as f:
        f.write(line + "\n")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        global asked
        if mode == "silent":
            time.sleep(3600)
        with lock:
            asked += 1
            n = asked
        append(os.environ["FAKE_ASKED_FILE"], f"asked {n}")
        self.send_response(403 if n == 1 else 200)
        self.send_header("Content-Length", "1000000")
        self.end_headers()
        self.wfile.write(b"{}" * 8)
        self.wfile.flush()
        # Until the client lets the connection go: recv gives b"" then (or fails on a reset).
        try:
            while self.connection.recv(4096):
                pass
        except OSError:
            pass
        append(os.environ["FAKE_CLOSED_FILE"], f"closed {n}")
        self.close_connection = True

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
os.makedirs(os.path.dirname(info), exist_ok=True)
with open(info, "w") as f:
    f.write('{"port": %d}' % port)


def stop(*_):
    # As Jupyter does: its server file goes with it (it is in the project's .jupyter/runtime).
    os.remove(info)
    os._exit(0)


signal.signal(signal.SIGTERM, stop)
while True:
    time.sleep(0.1)
