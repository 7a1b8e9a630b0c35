"""The seeds' Flask hit counter: counts visits in Redis, found through REDIS_HOST/REDIS_PORT."""
import os

import redis
from flask import Flask

app = Flask(__name__)
cache = redis.Redis(host=os.environ.get("REDIS_HOST", "redis"), port=int(os.environ.get("REDIS_PORT", "6379")))


@app.route("/")
def hello():
    count = cache.incr("hits")
    return f"Hello, world! I have been seen {count} times.\n"


@app.route("/healthz")
def healthz():
    return "ok\n"


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "5000")))
