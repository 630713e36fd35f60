import { closeSync, existsSync, fstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { ConfigError } from '../core/errors.ts';
import type { TraceEvent } from './events.ts';
import type { Trace } from './trace.ts';

export interface TraceRecorderOptions {
  /** Rotate when the file would pass this size (default 100 MiB). */
  maxFileBytes?: number;
  /** Rotated files kept besides the current one: `<file>.1` (newest) … `<file>.<n>` (default 5). */
  keepFiles?: number;
  /** Buffered lines are written at least this often (default 200 ms) and when the server stops. */
  flushMs?: number;
}

/** The recorded file and its rotated parts, oldest first (what `explain` reads to see a whole recording). */
export function recordedParts(file: string, keepFiles = 20): string[] {
  const parts: string[] = [];
  for (let i = keepFiles; i >= 1; i--) if (existsSync(`${file}.${i}`)) parts.push(`${file}.${i}`);
  if (existsSync(file)) parts.push(file);
  return parts;
}

/**
 * Appends every trace event to a JSON-lines file (the in-memory trace is bounded; the file keeps what it
 * evicts). Writes are buffered and synchronous, so a rotation never interleaves with a pending write.
 */
export class TraceRecorder {
  readonly #file: string;
  readonly #maxFileBytes: number;
  readonly #keepFiles: number;
  #fd: number;
  #size: number;
  #buffer: string[] = [];
  #bufferBytes = 0;
  #timer: NodeJS.Timeout;
  #off: () => void;
  rotations = 0;

  constructor(trace: Trace, file: string, options: TraceRecorderOptions = {}) {
    this.#file = file;
    this.#maxFileBytes = options.maxFileBytes ?? 100 * 1024 * 1024;
    this.#keepFiles = Math.max(0, options.keepFiles ?? 5);
    try {
      this.#fd = openSync(file, 'a');
    } catch (e) {
      throw new ConfigError(`--record: cannot open ${file} for appending (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    this.#size = fstatSync(this.#fd).size;
    this.#off = trace.onEvent((e) => this.#append(e));
    this.#timer = setInterval(() => this.flush(), options.flushMs ?? 200);
    this.#timer.unref();
  }

  #append(e: TraceEvent): void {
    const line = `${JSON.stringify(e)}\n`;
    this.#buffer.push(line);
    this.#bufferBytes += line.length;
    if (this.#bufferBytes >= 64 * 1024) this.flush();
  }

  /** Writes buffered lines, rotating first when they would not fit in the current file. */
  flush(): void {
    for (const line of this.#buffer) {
      const bytes = Buffer.byteLength(line);
      if (this.#size > 0 && this.#size + bytes > this.#maxFileBytes) this.#rotate();
      writeSync(this.#fd, line);
      this.#size += bytes;
    }
    this.#buffer = [];
    this.#bufferBytes = 0;
  }

  #rotate(): void {
    closeSync(this.#fd);
    if (this.#keepFiles === 0) rmSync(this.#file, { force: true });
    else {
      rmSync(`${this.#file}.${this.#keepFiles}`, { force: true });
      for (let i = this.#keepFiles - 1; i >= 1; i--) if (existsSync(`${this.#file}.${i}`)) renameSync(`${this.#file}.${i}`, `${this.#file}.${i + 1}`);
      renameSync(this.#file, `${this.#file}.1`);
    }
    this.#fd = openSync(this.#file, 'a');
    this.#size = 0;
    this.rotations++;
  }

  close(): void {
    this.#off();
    clearInterval(this.#timer);
    this.flush();
    closeSync(this.#fd);
  }
}
