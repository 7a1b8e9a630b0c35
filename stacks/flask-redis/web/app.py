"""The seeds' Flask hit counter: counts visits in Redis, found through REDIS_HOST/REDIS_PORT; Prometheus metrics
(the visits this process counted, and the client's process metrics) on their own port, METRICS_PORT (8000), at
/metrics, so the public routes (the published port 5000, the gateway) do not carry them."""
import os

import redis
from flask import Flask
from prometheus_client import Counter, start_http_server

app = Flask(__name__)
cache = redis.Redis(host=os.environ.get("REDIS_HOST", "redis"), port=int(os.environ.get("REDIS_PORT", "6379")))
HITS = Counter("flask_redis_hits", "Visits the hit counter answered (this process)")


@app.route("/")
def hello():
    count = cache.incr("hits")
    HITS.inc()
    return f"Hello, world! I have been seen {count} times.\n"


@app.route("/healthz")
def healthz():
    return "ok\n"


if __name__ == "__main__":
    start_http_server(int(os.environ.get("METRICS_PORT", "8000")))
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "5000")))
