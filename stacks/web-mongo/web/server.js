// The seeds' web + mongo app: a web server on 8080 that knows its database through MONGO_URL.
const http = require('http');

const mongoUrl = process.env.MONGO_URL ?? `mongodb://${process.env.MONGO_HOST}:${process.env.MONGO_PORT}`;
http
  .createServer((req, res) => {
    if (req.url === '/healthz') return res.end('ok\n');
    res.end(`Hello from web; database at ${mongoUrl}\n`);
  })
  .listen(8080, '0.0.0.0');
