#!/usr/bin/env node
// The project's structure rules, checked on the real files: no import cycle among the TypeScript
// modules of a source tree, and no non-test source file over 500 lines (a file a reader can hold).
//
//   node scripts/check-structure.mjs            every tree: plugins/*/src, packages/*/src, titanic-service/src
//   node scripts/check-structure.mjs DIR ...    only the named trees
//
// Exits 1 and prints every cycle and every long file when a rule is broken.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAX_SOURCE_LINES = 500;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.js', '.mjs'];
const TEST_FILE = /(\.test\.|\.spec\.|__testUtils__|__fixtures__|setupTests\.)/;

/** Every source tree of the project the rules apply to. */
export function defaultTrees() {
  const trees = [];
  for (const parent of ['plugins', 'packages']) {
    const dir = path.join(root, parent);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      const src = path.join(dir, name, 'src');
      if (fs.existsSync(src)) trees.push(src);
    }
  }
  const service = path.join(root, 'titanic-service/src');
  if (fs.existsSync(service)) trees.push(service);
  return trees;
}

function sourceFiles(dir) {
  const files = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(full));
    else if (
      EXTENSIONS.includes(path.extname(entry.name)) &&
      !entry.name.endsWith('.d.ts')
    ) {
      files.push(full);
    }
  }
  return files;
}

// import/export ... from '…', import '…', import('…'), require('…'), jest.mock('…')
const SPECIFIER =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*|\bjest\.mock\s*\(\s*)['"](\.{1,2}\/[^'"]*|\.{1,2})['"]/g;

/** The relative imports of a file, resolved to files of the tree. */
export function localImports(file, source = fs.readFileSync(file, 'utf8')) {
  const withoutComments = source
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const targets = new Set();
  for (const match of withoutComments.matchAll(SPECIFIER)) {
    const resolved = resolveModule(path.resolve(path.dirname(file), match[1]));
    if (resolved) targets.add(resolved);
  }
  return [...targets];
}

function resolveModule(base) {
  const stripped = base.replace(/\.(js|mjs|cjs)$/, '');
  const candidates = [
    base,
    ...EXTENSIONS.map(ext => stripped + ext),
    ...EXTENSIONS.map(ext => path.join(base, `index${ext}`)),
  ];
  return candidates.find(
    candidate => fs.existsSync(candidate) && fs.statSync(candidate).isFile(),
  );
}

/** Strongly connected components with more than one module (or a module importing itself). */
export function findCycles(graph) {
  let index = 0;
  const indices = new Map();
  const lowLinks = new Map();
  const onStack = new Set();
  const stack = [];
  const cycles = [];
  const visit = start => {
    // Iterative Tarjan: source trees can be deep enough to overflow recursion.
    const work = [[start, 0]];
    indices.set(start, index);
    lowLinks.set(start, index);
    index += 1;
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1];
      const [node, next] = frame;
      const edges = graph.get(node) ?? [];
      if (next < edges.length) {
        frame[1] += 1;
        const target = edges[next];
        if (!indices.has(target)) {
          indices.set(target, index);
          lowLinks.set(target, index);
          index += 1;
          stack.push(target);
          onStack.add(target);
          work.push([target, 0]);
        } else if (onStack.has(target)) {
          lowLinks.set(node, Math.min(lowLinks.get(node), indices.get(target)));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1][0];
        lowLinks.set(
          parent,
          Math.min(lowLinks.get(parent), lowLinks.get(node)),
        );
      }
      if (lowLinks.get(node) === indices.get(node)) {
        const component = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          component.push(member);
        } while (member !== node);
        if (component.length > 1 || (graph.get(node) ?? []).includes(node)) {
          cycles.push(component.sort());
        }
      }
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return cycles;
}

export function checkTrees(trees) {
  const cycles = [];
  const longFiles = [];
  for (const tree of trees) {
    const files = sourceFiles(tree);
    const graph = new Map(files.map(file => [file, localImports(file)]));
    cycles.push(...findCycles(graph));
    for (const file of files) {
      if (TEST_FILE.test(file)) continue;
      const lines = fs.readFileSync(file, 'utf8').split('\n').length - 1;
      if (lines > MAX_SOURCE_LINES) longFiles.push({ file, lines });
    }
  }
  return { cycles, longFiles };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const trees = args.length
    ? args.map(arg => path.resolve(arg))
    : defaultTrees();
  const { cycles, longFiles } = checkTrees(trees);
  const relative = file => path.relative(root, file);
  for (const cycle of cycles) {
    console.log(`import cycle: ${cycle.map(relative).join(' ↔ ')}`);
  }
  for (const { file, lines } of longFiles) {
    console.log(`over ${MAX_SOURCE_LINES} lines: ${relative(file)} (${lines})`);
  }
  console.log(
    `${trees.length} source trees: ${cycles.length} import cycles, ${longFiles.length} files over ${MAX_SOURCE_LINES} lines`,
  );
  process.exit(cycles.length || longFiles.length ? 1 : 0);
}
