# Load driver for load-tests/tracing/cost.sh: usage rank_load.py PORT SERVICE_PID REQUESTS THREADS [traceparent]
# Closed-loop load: THREADS keep-alive connections send N /v1/rank requests (search and feed alternating);
# prints the server process's CPU seconds (utime+stime from /proc) used during the run, per request.
import http.client, json, os, sys, threading, time
port, pid, n, threads = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
traceparent = len(sys.argv) > 5 and sys.argv[5] == "traceparent"
queries = ["espresso machine", "running shoes", "wireless headphones", "coffee grinder", "yoga mat", "laptop stand"]
tick = os.sysconf("SC_CLK_TCK")
def cpu():
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / tick
errors = [0]
def worker(k):
    c = http.client.HTTPConnection("127.0.0.1", port)
    for i in range(k, n, threads):
        body = {"surface": "search", "userId": f"u{i % 500}", "query": queries[i % len(queries)], "limit": 10} if i % 2 \
            else {"surface": "feed", "userId": f"u{i % 500}", "limit": 10}
        h = {"Content-Type": "application/json"}
        if traceparent: h["traceparent"] = "00-%032x-%016x-01" % (i + 1, i + 1)
        c.request("POST", "/v1/rank", json.dumps(body), h)
        r = c.getresponse(); r.read()
        if r.status != 200: errors[0] += 1
t0, c0 = time.time(), cpu()
ts = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
[t.start() for t in ts]; [t.join() for t in ts]
t1, c1 = time.time(), cpu()
print(json.dumps({"requests": n, "errors": errors[0], "wall_s": round(t1 - t0, 2), "cpu_s": round(c1 - c0, 2),
                  "cpu_ms_per_request": round((c1 - c0) * 1000 / n, 3), "rps": round(n / (t1 - t0), 1)}))
