import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';

/** The inspector is three static files, read once: no CDN, no build step, works offline. */
const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/inspector.js': { file: 'inspector.js', type: 'text/javascript; charset=utf-8' },
  '/inspector.css': { file: 'inspector.css', type: 'text/css; charset=utf-8' },
};
const cache = new Map<string, Buffer>();

/** Serves `/_lab/`, `/_lab/inspector.js`, `/_lab/inspector.css` (no token needed: the page holds no data). */
export function serveInspectorAsset(res: ServerResponse, route: string): boolean {
  const asset = FILES[route];
  if (!asset) return false;
  let body = cache.get(asset.file);
  if (!body) cache.set(asset.file, (body = readFileSync(new URL(`./static/${asset.file}`, import.meta.url))));
  res.writeHead(200, {
    'Content-Type': asset.type,
    'Content-Length': body.length,
    'Cache-Control': 'no-cache',
    'Content-Security-Policy': "default-src 'self'; img-src 'self' data: blob:; connect-src 'self'",
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
  return true;
}
