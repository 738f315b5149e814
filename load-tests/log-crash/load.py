"""Drives /v1/rank and /v1/feedback from 8 threads and records what the service acknowledged.
usage: load.py PORT OUT.json SECONDS   (the acked ids are what must survive a kill -9)"""
import json, sys, threading, time, urllib.request, random
port = int(sys.argv[1]); out = sys.argv[2]; seconds = float(sys.argv[3])
acked_imp, acked_fb, lat = [], [], []
lock = threading.Lock()
stop = time.time() + seconds
run = int(time.time() * 1000)
def post(path, body):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, json.loads(r.read() or b"{}")
def worker(w):
    i = 0
    while time.time() < stop:
        i += 1
        try:
            t0 = time.time()
            st, body = post("/v1/rank", {"surface": "feed", "userId": f"u{w}-{i % 50}", "limit": 10})
            dt = time.time() - t0
            if st == 200:
                with lock:
                    acked_imp.append(body["impressionId"]); lat.append(dt)
                item = body["items"][0]["id"]
                ev = f"ev-{run}-{w}-{i}"
                st2, _ = post("/v1/feedback", {"impressionId": body["impressionId"], "itemId": item, "type": "click", "eventId": ev})
                if st2 == 202:
                    with lock:
                        acked_fb.append(ev)
        except Exception as e:
            if time.time() < stop: time.sleep(0.01)
ts = [threading.Thread(target=worker, args=(w,)) for w in range(8)]
[t.start() for t in ts]; [t.join() for t in ts]
lat.sort()
json.dump({"impressions": acked_imp, "feedback": acked_fb, "p50": lat[len(lat)//2] if lat else None, "p99": lat[int(len(lat)*0.99)] if lat else None}, open(out, "w"))
print(len(acked_imp), len(acked_fb), lat[len(lat)//2] if lat else None)
