/**
 * The layers of the code, checked on the real import graph of the Worker's bundle (esbuild drops type-only
 * imports, so these are the imports that run): no runtime import cycle anywhere, and `durable/` and `core/`
 * import only what sits below them.
 */
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { clientScriptsAsText } from '../../local/bundle.ts';

/** The Worker's runtime import graph: module -> the project modules it imports. */
async function importGraph(entry: string): Promise<Map<string, string[]>> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'neutral',
    logLevel: 'silent',
    external: ['cloudflare:*', 'node:*'],
    packages: 'external',
    loader: { '.sql': 'text' },
    plugins: [clientScriptsAsText],
  });
  const graph = new Map<string, string[]>();
  for (const [file, input] of Object.entries((result.metafile as Metafile).inputs)) {
    graph.set(
      file,
      input.imports.filter((i) => !i.external && i.path in result.metafile!.inputs).map((i) => i.path),
    );
  }
  return graph;
}

/** Every cycle of the graph, each as the path that closes it (Tarjan's strongly connected components). */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)?.includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** Cycles that predate this check, being taken apart; the list only shrinks. */
const KNOWN_CYCLES: string[][] = [];

let graph: Map<string, string[]>;
beforeAll(async () => {
  graph = await importGraph('workers/index.ts');
});

describe('the import graph', () => {
  it('finds a cycle when there is one (the check itself)', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cycles(g)).toEqual([['a', 'b', 'c']]);
    expect(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('covers the whole Worker', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect([...graph.keys()].some((f) => f.startsWith('durable/'))).toBe(true);
  });

  it('has no runtime import cycle', () => {
    expect(cycles(graph)).toEqual(KNOWN_CYCLES);
  });

  it('keeps durable/ on core/ and schema/ only, and core/ on itself', () => {
    const wrong: string[] = [];
    for (const [file, imports] of graph) {
      const allowed = file.startsWith('durable/')
        ? ['durable/', 'core/', 'schema/', 'seed/']
        : file.startsWith('core/')
          ? ['core/', 'seed/']
          : file.startsWith('schema/')
            ? ['schema/']
            : null;
      if (!allowed) continue;
      for (const i of imports) if (!allowed.some((a) => i.startsWith(a))) wrong.push(`${file} -> ${i}`);
    }
    expect(wrong).toEqual([]);
  });
});
