import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { SchemaIssue } from '../errors.ts';

export interface ParsedYaml {
  value: unknown;
  /** Parse errors (bad indentation, duplicate keys), already located. */
  errors: SchemaIssue[];
  /** 1-based line of the field at `path`, or of its nearest existing ancestor. */
  lineOf(path: (string | number)[]): number;
}

/** Parses YAML keeping the source positions, so every later complaint can name a line. */
export function parseYamlWithLines(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  // logLevel 'error': no process warnings (e.g. for collection keys) printed from inside a parse
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  const errors: SchemaIssue[] = doc.errors.map((e) => ({ path: [], line: lineAt(e.pos[0]), message: `YAML: ${firstLine(e.message)}` }));
  let value: unknown;
  if (!errors.length) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      // toJS throws ReferenceError for an alias with no anchor (`*a`) or too many aliases; found by fuzzing
      errors.push({ path: [], line: 0, message: `YAML: ${firstLine((e as Error).message)}` });
    }
  }
  return {
    value,
    errors,
    lineOf: (path) => lineAt(locate(doc, path)),
  };
}

function locate(doc: Document, path: (string | number)[]): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === segment);
      if (!pair) return offset;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) return offset;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      return offset;
    }
  }
  return offset;
}

const firstLine = (s: string) => s.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '');
