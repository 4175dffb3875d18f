// flowgate's glue around the vendored mathjs and @formulajs/formulajs bundles (vendor/expr/), run
// once per QuickJS runtime after them. Its completion value holds the two functions Rust calls:
//   run(engine, source, scopeJson) -> "R" + result as JSON | "E" + the error's text
//   check(engine, source) -> "R" | "E" + error | "U" + undefined function (see `check` below)
// It reproduces what NocoBase's @nocobase/evaluators does around the same libraries: math.js is
// mathjs `evaluate`, formula.js a JavaScript script run in a SES Compartment whose globals are the
// formulajs functions and the scope, both rounded to 9 decimals, the result stored as JSON. Nothing
// here reaches the host: the runtime has no host functions at all.
(function (global) {
  'use strict';
  const math = global.math;
  const formulajs = global.formulajs;
  delete global.math;
  delete global.formulajs;

  const realEval = global.eval;
  const realMath = global.Math;
  const toTag = Object.prototype.toString;

  // NocoBase blocks these names inside formula.js (they read as undefined there).
  const BLOCKED = [
    'globalThis', 'global', 'self', 'Function', 'AsyncFunction', 'GeneratorFunction', 'eval',
    'Compartment', 'lockdown', 'harden', 'assert', 'process', 'require', 'module', 'exports',
    '__filename', '__dirname', 'Buffer',
  ];

  // SES gives compartments a Math whose random() throws; NocoBase's formula.js code sees that one.
  const sharedMath = Object.create(Object.getPrototypeOf(realMath));
  for (const key of Reflect.ownKeys(realMath)) {
    Object.defineProperty(sharedMath, key, Object.getOwnPropertyDescriptor(realMath, key));
  }
  Object.defineProperty(sharedMath, 'random', {
    value: function random() {
      throw new TypeError('secure mode %SharedMath%.random() throws');
    },
    writable: true,
    configurable: true,
  });

  const FUNCTIONS = Object.create(null);
  for (const key of Object.keys(formulajs)) {
    if (key !== 'default') FUNCTIONS[key] = formulajs[key];
  }

  // Like SES's lockdown: every intrinsic is frozen, so one expression cannot change what the next
  // one sees in this pooled runtime. A writable property becomes an accessor whose setter defines
  // an own property on a derived object (SES's override taming) and otherwise throws V8's text.
  function harden(root) {
    const seen = new Set();
    const stack = [root];
    while (stack.length) {
      const obj = stack.pop();
      if ((typeof obj !== 'object' && typeof obj !== 'function') || obj === null || seen.has(obj)) {
        continue;
      }
      seen.add(obj);
      stack.push(Object.getPrototypeOf(obj));
      for (const key of Reflect.ownKeys(obj)) {
        const desc = Object.getOwnPropertyDescriptor(obj, key);
        if ('value' in desc) {
          stack.push(desc.value);
          if (desc.writable && desc.configurable) tameProperty(obj, key, desc);
        } else {
          stack.push(desc.get, desc.set);
        }
      }
      Object.freeze(obj);
    }
  }

  function tameProperty(obj, key, desc) {
    const value = desc.value;
    Object.defineProperty(obj, key, {
      get: function () {
        return value;
      },
      set: function (v) {
        if (this === obj) {
          throw new TypeError(
            `Cannot assign to read only property '${String(key)}' of object '${toTag.call(obj)}'`,
          );
        }
        Object.defineProperty(this, key, { value: v, writable: true, enumerable: true, configurable: true });
      },
      enumerable: desc.enumerable,
      configurable: false,
    });
  }

  // Rounds as NocoBase does after both engines: NaN and ±Infinity become null.
  function rounded(result) {
    if (typeof result === 'number') {
      return Number.isNaN(result) || !Number.isFinite(result) ? null : math.round(result, 9);
    }
    return result;
  }

  // Compiled mathjs expressions by text (an expression's text is fixed per node); bounded.
  const compiled = new Map();
  const MAX_COMPILED = 512;

  function mathjs(source, scope) {
    let entry = compiled.get(source);
    if (!entry) {
      try {
        entry = { code: math.compile(source) };
      } catch (e) {
        entry = { error: e };
      }
      if (compiled.size >= MAX_COMPILED) compiled.clear();
      compiled.set(source, entry);
    }
    if (entry.error) throw entry.error;
    const result = entry.code.evaluate(scope);
    return math.isMatrix(result) ? result.toArray() : rounded(result);
  }

  // SES refuses some source text before running it, with these messages.
  const REJECTIONS = [
    [/(?:<!--|-->)/, 'Possible HTML comment rejected at <unknown>:LINE. (SES_HTML_COMMENT_REJECTED)'],
    [/(^|[^.]|\.\.\.)\bimport(\s*(?:\(|\/[/*]))/, 'Possible import expression rejected at <unknown>:LINE. (SES_IMPORT_REJECTED)'],
    [/(^|[^.])\beval(\s*\()/, 'Possible direct eval expression rejected at <unknown>:LINE. (SES_EVAL_REJECTED)'],
  ];

  function reject(source) {
    for (const [pattern, message] of REJECTIONS) {
      const match = pattern.exec(source);
      if (match) {
        const line = source.slice(0, match.index).split('\n').length;
        throw new SyntaxError(message.replace('LINE', String(line)));
      }
    }
  }

  // The Compartment's global scope as a `with` object: the formulajs functions, the scope's
  // variables and the blocked names first, then the intrinsics; an unknown name reads as undefined
  // and assigning it is a ReferenceError, as in a Compartment. The first reads of `eval` and of the
  // source are the runner's own (a direct eval needs the real one); user code never gets them.
  const runner = realEval('(function (scope, source) { with (scope) { return eval(source); } })');

  function formula(source, scope) {
    reject(source);
    const globals = Object.create(null);
    Object.assign(globals, FUNCTIONS, scope);
    for (const key of BLOCKED) globals[key] = undefined;
    let armed = 2;
    let lastValueName = null;
    const compartment = new Proxy(globals, {
      has: (target, key) => typeof key === 'string',
      get: (target, key) => {
        if (armed > 0 && key === 'eval') return (armed--, realEval);
        if (armed > 0 && key === 'source') return (armed--, '"use strict"; void 0; ' + source);
        if (typeof key !== 'string') return undefined;
        const value = key in target ? target[key] : key === 'Math' ? sharedMath : global[key];
        if (typeof value !== 'function') lastValueName = key;
        return value;
      },
      set: (target, key, value) => {
        if (key in target || key in global) {
          target[key] = value;
          return true;
        }
        throw new ReferenceError(`${String(key)} is not defined`);
      },
    });
    try {
      return rounded(runner.call(globals, compartment, source));
    } catch (e) {
      throw inV8Words(e, source, lastValueName);
    }
  }

  // QuickJS words some errors differently from V8 (NocoBase's engine); these are said as V8 does.
  // `calledName` is the last global read whose value was no function: V8 names it in
  // "x is not a function" when the source calls it.
  function inV8Words(e, source, calledName) {
    if (!(e instanceof Error)) return e;
    const message = e.message;
    const reword = (Type, text) => new Type(text);
    let m;
    if (e instanceof TypeError && message === 'not a function' && calledName !== null) {
      const escaped = calledName.replace(/[$]/g, '\\$');
      if (new RegExp('(^|[^.\\w$])' + escaped + '\\s*\\(').test(source)) {
        return reword(TypeError, `${calledName} is not a function`);
      }
    }
    if (e instanceof TypeError && (m = /^cannot read property '(.*)' of (null|undefined)$/.exec(message))) {
      return reword(TypeError, `Cannot read properties of ${m[2]} (reading '${m[1]}')`);
    }
    if (e instanceof SyntaxError && (m = /^unexpected token in expression: '(.*)'$/.exec(message))) {
      return reword(SyntaxError, unexpected(m[1]));
    }
    if (e instanceof SyntaxError && message.startsWith("unparenthesized unary expression can't appear")) {
      return reword(
        SyntaxError,
        'Unary operator used immediately before exponentiation expression. Parenthesis must be used to disambiguate operator precedence',
      );
    }
    return e;
  }

  // V8's "Unexpected …" for a token.
  function unexpected(token) {
    if (token === '') return 'Unexpected end of input';
    if (/^[A-Za-z_$][\w$]*$/.test(token)) return `Unexpected identifier '${token}'`;
    if (/^[0-9.]/.test(token)) return 'Unexpected number';
    if (/^['"]/.test(token)) return 'Unexpected string';
    return `Unexpected token '${token}'`;
  }

  // -------------------------------------------------------------------------------------------
  // Checks before any run (node validation): only what fails every run, whatever the variables.

  // Names an expression defines for itself: assigned variables and functions, function parameters.
  function ownNames(root) {
    const names = new Set();
    root.traverse((n) => {
      if (n.type === 'AssignmentNode' && n.object && n.object.type === 'SymbolNode') names.add(n.object.name);
      if (n.type === 'FunctionAssignmentNode') {
        names.add(n.name);
        for (const p of n.params) names.add(p);
      }
    });
    return names;
  }

  // The first function an evaluation always calls and mathjs does not have (FunctionNode's
  // "Undefined function"), or null. Only nodes every evaluation reaches are judged: not the branches
  // of `? :`, not what `and`/`or` and other raw-argument functions may skip, not function bodies,
  // not method calls; a name the expression assigns anywhere, `$$n` variables and `?.()` calls are
  // never judged undefined.
  function undefinedCall(node, own, lib) {
    const first = (nodes) => {
      for (const n of nodes) {
        const name = undefinedCall(n, own, lib);
        if (name !== null) return name;
      }
      return null;
    };
    const raw = (name) => name in lib && typeof lib[name] === 'function' && lib[name].rawArgs === true;
    switch (node.type) {
      case 'FunctionAssignmentNode':
        return null;
      case 'ConditionalNode':
        return undefinedCall(node.condition, own, lib);
      case 'RelationalNode':
        return first(node.params.slice(0, 2));
      case 'OperatorNode':
        return first(raw(node.fn) ? node.args.slice(0, 1) : node.args);
      case 'FunctionNode': {
        if (node.fn.type !== 'SymbolNode') return null;
        const name = node.fn.name;
        if (own.has(name) || node.optional === true || name.startsWith('$$')) return null;
        if (!(name in lib)) return name;
        return raw(name) ? null : first(node.args);
      }
      default: {
        const children = [];
        node.forEach((c) => children.push(c));
        return first(children);
      }
    }
  }

  // "R" (nothing found), "E" + the error every run would end with, or "U" + JSON of the undefined
  // function with what to use instead. formula.js's syntax is compiled by the host afterwards (a
  // script cannot compile without running); its SES rejections are checked here.
  function check(engine, source) {
    try {
      if (engine !== 'math.js') {
        reject(source);
        return 'R';
      }
      const node = math.parse(source);
      math.compile(source);
      const lib = math.expression.mathWithTransform;
      const name = undefinedCall(node, ownNames(node), lib);
      if (name === null) return 'R';
      const lower = name.toLowerCase();
      return 'U' + JSON.stringify({
        name,
        lower: lower !== name && lower in lib ? lower : null,
        formula: name in FUNCTIONS,
      });
    } catch (e) {
      return 'E' + String(e);
    }
  }

  harden(sharedMath);
  harden(FUNCTIONS);
  harden(global);

  return { run: run, check: check };

  function run(engine, source, scopeJson) {
    let result;
    try {
      const scope = JSON.parse(scopeJson);
      result = engine === 'math.js' ? mathjs(source, scope) : formula(source, scope);
    } catch (e) {
      return 'E' + String(e);
    }
    try {
      const text = JSON.stringify(result === undefined ? null : result);
      return 'R' + (text === undefined ? 'null' : text);
    } catch (e) {
      // NocoBase fails storing such a job with V8's words for it.
      return 'E' + (/BigInt/.test(String(e)) ? 'TypeError: Do not know how to serialize a BigInt' : String(e));
    }
  }
})(globalThis);
