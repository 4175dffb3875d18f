#!/usr/bin/env node
// Records NocoBase's answers for the expression corpus (tests/expressions/corpus.json).
//
// Run by hand, never by `make test`:   node tests/expressions/record.js [NOCOBASE_DIR]
// NOCOBASE_DIR (default /work/nb-peer/nb, or $NOCOBASE_DIR) is a NocoBase install whose
// node_modules hold @nocobase/evaluators with the mathjs and @formulajs/formulajs it uses.
//
// Each case is evaluated the way NocoBase's calculation instruction does it: the engine from
// @nocobase/evaluators' registry, called with the expression and the workflow scope (the case's
// `scope`, else the corpus's top-level `scope`); a thrown error becomes `e.toString()` (the job's
// result at status -2), an empty expression gives null. A result is stored as NocoBase stores a
// job's result: through JSON (undefined -> null, Date -> ISO text, mathjs objects -> their toJSON).
// The process runs in UTC like the peer, so Date results are stable.
//
// To add a case: append `{"engine": ..., "expression": ...}` (and `scope` if it needs its own)
// to `cases`, run this script, review `git diff`, commit. Cases whose answer changes between two
// runs (clocks, randomness) are reported and must be removed.
process.env.TZ = 'UTC';
const fs = require('fs');
const path = require('path');

const nbDir = process.argv[2] || process.env.NOCOBASE_DIR || '/work/nb-peer/nb';
const { evaluators } = require(path.join(nbDir, 'node_modules/@nocobase/evaluators'));
const file = path.join(__dirname, 'corpus.json');
const corpus = JSON.parse(fs.readFileSync(file, 'utf8'));

function answer(engine, expression, scope) {
  const evaluator = evaluators.get(engine);
  let result;
  try {
    result = evaluator && expression ? evaluator(expression, JSON.parse(JSON.stringify(scope))) : null;
  } catch (e) {
    return { error: String(e) };
  }
  let text;
  try {
    text = JSON.stringify(result === undefined ? null : result);
  } catch (e) {
    // A value JSON cannot hold (a BigInt): NocoBase fails to store the job (see corpus notes).
    return { error: String(e) };
  }
  return { result: text === undefined ? null : JSON.parse(text) };
}

let unstable = 0;
for (const c of corpus.cases) {
  const scope = c.scope || corpus.scope;
  const first = answer(c.engine, c.expression, scope);
  const second = answer(c.engine, c.expression, scope);
  if (JSON.stringify(first) !== JSON.stringify(second)) {
    unstable++;
    console.error(`unstable: ${c.engine} ${JSON.stringify(c.expression)}`);
  }
  c.expect = first;
}

// One case per line, so a re-recording shows as a readable diff.
const lines = corpus.cases.map((c) => '  ' + JSON.stringify(c));
const head = { ...corpus };
delete head.cases;
// (A function as replacement: a replacement string would read the cases' `$$` as `$`.)
const out = JSON.stringify(head, null, 1).replace(/\n}$/, () => ',\n "cases": [\n' + lines.join(',\n') + '\n ]\n}\n');
fs.writeFileSync(file, out);
const counts = {};
for (const c of corpus.cases) counts[c.engine] = (counts[c.engine] || 0) + 1;
console.log(`recorded ${corpus.cases.length} cases`, counts, unstable ? `${unstable} unstable` : '');
