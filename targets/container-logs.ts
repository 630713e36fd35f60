import type { Readable } from 'node:stream';

/** The log lines of one container, captured from its (followed) log stream; `ended` once the container stopped. */
export class ContainerLogs {
  #lines: string[] = [];
  #partial = '';
  #listeners = new Set<(line: string) => void>();
  ended = false;

  constructor(private readonly max = 5_000) {}

  follow(stream: Readable): void {
    stream.on('data', (chunk: string | Buffer) => {
      const parts = (this.#partial + chunk.toString()).split('\n');
      this.#partial = parts.pop() ?? '';
      for (const line of parts) this.#push(line);
    });
    stream.on('end', () => {
      if (this.#partial) this.#push(this.#partial);
      this.#partial = '';
      this.ended = true;
    });
    stream.on('error', () => (this.ended = true));
  }

  lines(): string[] {
    return [...this.#lines];
  }

  last(n: number): string[] {
    return this.#lines.slice(-n);
  }

  onLine(listener: (line: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #push(line: string): void {
    const clean = line.replace(/\r$/, '');
    if (!clean) return;
    this.#lines.push(clean);
    if (this.#lines.length > this.max) this.#lines.shift();
    for (const l of this.#listeners) l(clean);
  }
}
