# Stand-in OTLP/HTTP collector for load-tests/tracing/cost.sh: usage otlp_sink.py PORT COUNT_FILE
# A stand-in OTLP/HTTP collector: accepts every export (200, empty ExportTraceServiceResponse), counts bytes.
import http.server, sys, threading
total = {"requests": 0, "bytes": 0}
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0)); self.rfile.read(n)
        total["requests"] += 1; total["bytes"] += n
        self.send_response(200); self.send_header("Content-Type", "application/x-protobuf"); self.send_header("Content-Length", "0"); self.end_headers()
        with open(sys.argv[2], "w") as f: f.write("%d %d\n" % (total["requests"], total["bytes"]))
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
