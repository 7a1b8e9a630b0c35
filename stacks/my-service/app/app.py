"""The seeds' "Hello, world!" service; answers with its host name so load balancing is visible."""
import os
import socket

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return f"Hello, world! from {socket.gethostname()}\n"


@app.route("/healthz")
def healthz():
    return "ok\n"


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "5000")))
