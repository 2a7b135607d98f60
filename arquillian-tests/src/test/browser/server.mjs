// A static HTTP server on 127.0.0.1 for the harness page, its bundle and the tone files. Its origin
// (http://127.0.0.1:<port>) is the one the gateway must allow (gateway.ws.allowed-origins).
// Run alone: node server.mjs [port]   (default 8197)
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wav': 'audio/wav',
};

/** Only the page and dist/ are served, nothing else of the project. */
function resolvePath(root, urlPath) {
  const path = decodeURIComponent(urlPath.split('?')[0]);
  if (path === '/' || path === '/harness.html') {
    return join(root, 'harness.html');
  }
  const file = normalize(join(root, path));
  return file.startsWith(join(root, 'dist') + sep) ? file : null;
}

/**
 * Starts the server; resolves with {server, port, origin, close()}. Retries for a few seconds while the port is
 * taken (a previous driver still shutting down), then rejects.
 */
export async function startServer({ port = 8197, host = '127.0.0.1', root = here, log = () => {}, retryMs = 5000 } = {}) {
  const server = createServer(async (request, response) => {
    const file = request.method === 'GET' || request.method === 'HEAD' ? resolvePath(root, request.url) : null;
    if (request.url === '/favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    if (!file) {
      response.writeHead(request.method === 'GET' || request.method === 'HEAD' ? 404 : 405).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, {
        'Content-Type': TYPES[extname(file)] || 'application/octet-stream',
        'Content-Length': body.length,
        'Cache-Control': 'no-store',
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch {
      response.writeHead(404).end();
    }
    log(`${request.method} ${request.url} -> ${response.statusCode}`);
  });
  const deadline = Date.now() + retryMs;
  for (;;) {
    try {
      await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      break;
    } catch (error) {
      if (error.code !== 'EADDRINUSE' || Date.now() > deadline) {
        throw new Error(`cannot serve the harness on ${host}:${port}: ${error.message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  const actualPort = server.address().port;
  return {
    server,
    port: actualPort,
    origin: `http://${host}:${actualPort}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { origin } = await startServer({ port: Number(process.argv[2] || 8197), log: (line) => console.error(line) });
  console.error(`serving ${here} on ${origin}/harness.html`);
}
