/**
 * The start-up baseline: a bare `node:http` script, timed from its spawn to
 * its first 200.
 *
 *   node first-200.js <port>
 */
import http from "node:http";

const body = '{"tagline":"Kuma"}';
http
  .createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": body.length });
    res.end(body);
  })
  .listen(Number(process.argv[2]), "127.0.0.1");
