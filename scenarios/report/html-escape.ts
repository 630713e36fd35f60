export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Escapes text and turns http(s) URLs into links (the `reproduces` field). */
export const linkify = (s: string) =>
  esc(s).replace(/https?:\/\/[^\s,;)'"]+/g, (u) => `<a href="${u}">${u.replace(/^https:\/\/github\.com\//, '')}</a>`);
