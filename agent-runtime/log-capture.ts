import type { Readable } from 'node:stream';

export interface WorkerLogLine {
  /** ms since the epoch. */
  at: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

/** Splits a stream into lines and hands each to `onLine` (the last partial line is flushed at end). */
export function captureLines(stream: Readable, name: WorkerLogLine['stream'], onLine: (line: WorkerLogLine) => void): void {
  let buffer = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const text = buffer.slice(0, nl).replace(/\r$/, '');
      buffer = buffer.slice(nl + 1);
      if (text) onLine({ at: Date.now(), stream: name, text });
    }
  });
  stream.on('end', () => {
    if (buffer) onLine({ at: Date.now(), stream: name, text: buffer });
    buffer = '';
  });
}
