/** ws(s)://host:port form of a server URL (http→ws, https→wss), without a trailing slash. */
export function toWsUrl(url: string): string {
  return url.replace(/^http(s?):\/\//, 'ws$1://').replace(/\/+$/, '');
}

/** http(s)://host:port form of a server URL (ws→http, wss→https), without a trailing slash. */
export function toHttpUrl(url: string): string {
  return url.replace(/^ws(s?):\/\//, 'http$1://').replace(/\/+$/, '');
}
