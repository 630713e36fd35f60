/**
 * An estimate of an event's JSON size in bytes, without building the JSON: the trace's byte bound needs a
 * size per event, and stringifying every event was what recordLazy exists to avoid. Counts string lengths
 * (as one byte per character), numbers as 8, and the quotes, colons and commas of keys.
 */
export function estimateJsonBytes(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return value.length + 2;
    case 'number':
      return 8;
    case 'boolean':
      return 5;
    case 'object': {
      if (value === null) return 4;
      let n = 2;
      if (Array.isArray(value)) {
        for (const v of value) n += estimateJsonBytes(v) + 1;
        return n;
      }
      for (const k in value) {
        const v = (value as Record<string, unknown>)[k];
        if (v !== undefined) n += k.length + 4 + estimateJsonBytes(v);
      }
      return n;
    }
    default:
      return 0;
  }
}
