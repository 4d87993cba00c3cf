// Parses TLA+ modules with the official tree-sitter grammar (@tlaplus/tree-sitter-tlaplus) and
// reports syntax errors. This is a parser only: not SANY's semantic analysis and not TLC.
// Usage: node tla/tools/parse-tla.mjs FILE.tla...   (exit 0 = every file parsed cleanly)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const modules = process.env.TLA_NODE_MODULES || join(here, '..', 'node_modules');
const require = createRequire(join(modules, 'noop.js'));
const { Parser, Language } = await import(require.resolve('web-tree-sitter'));
await Parser.init();
const wasm = require.resolve('@tlaplus/tree-sitter-tlaplus/tree-sitter-tlaplus.wasm');
const tlaplus = await Language.load(wasm);
const parser = new Parser();
parser.setLanguage(tlaplus);

function problems(node, out) {
  if (node.isError || node.type === 'ERROR') {
    out.push(`${node.startPosition.row + 1}:${node.startPosition.column + 1}: syntax error near '${node.text.slice(0, 40).replace(/\s+/g, ' ')}'`);
  } else if (node.isMissing) {
    out.push(`${node.startPosition.row + 1}:${node.startPosition.column + 1}: missing ${node.type}`);
  }
  if (node.hasError || node.isError) {
    for (const child of node.children) problems(child, out);
  }
  return out;
}

let failed = 0;
for (const file of process.argv.slice(2)) {
  const tree = parser.parse(readFileSync(file, 'utf8'));
  const root = tree.rootNode;
  const errs = root.hasError ? problems(root, []) : [];
  const modulesSeen = root.children.filter(c => c.type === 'module').length;
  if (modulesSeen === 0) errs.push('1:1: no MODULE found');
  if (errs.length === 0) {
    console.log(`OK ${file}`);
  } else {
    failed++;
    for (const e of errs) console.log(`ERROR ${file}:${e}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
