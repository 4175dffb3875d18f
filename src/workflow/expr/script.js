// flowgate's glue for the `script` (JavaScript) node, evaluated first in each run's fresh QuickJS
// context. It plays the part of NocoBase's QuickJs.js bootstrap: a frozen `console` whose output is
// collected here (QuickJS is given no host function, so the lines are read back by Rust after the run),
// the arguments set as globals, and the settling of the script's promise. Its completion value holds
// the functions Rust calls:
//   setArgs(json)   every key of the JSON object becomes a global, as NocoBase's bootstrap does
//   settle(promise) records the promise's outcome once it settles
//   outcome()       null while pending, else "R" + the value as JSON (undefined → null) | "E" + error
//   logs()          the console lines as a JSON array of strings
(function (global) {
  'use strict';
  const lines = [];
  const then = Promise.prototype.then;
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const keys = Object.keys;
  const push = Array.prototype.push;
  const join = Array.prototype.join;
  const map = Array.prototype.map;

  // How a value prints in a console line: text as is, anything else as JSON (or String() for what
  // JSON cannot hold: functions, symbols, cycles).
  function show(v) {
    if (typeof v === 'string') return v;
    if (v === undefined) return 'undefined';
    if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') return String(v);
    try {
      const text = stringify(v);
      return text === undefined ? String(v) : text;
    } catch (e) {
      return String(v);
    }
  }

  function write() {
    push.call(lines, join.call(map.call(arguments, show), ' '));
  }
  function noop() {}

  global.console = Object.freeze({
    log: write,
    info: write,
    warn: write,
    error: write,
    debug: write,
    trace: write,
    dir: write,
    dirxml: write,
    table: write,
    time: noop,
    timeEnd: noop,
    timeLog: noop,
    count: noop,
    countReset: noop,
    group: noop,
    groupCollapsed: noop,
    groupEnd: noop,
    clear: noop,
    assert: function assert(condition) {
      if (!condition) {
        const rest = Array.prototype.slice.call(arguments, 1);
        write.apply(null, ['Assertion failed:'].concat(rest));
      }
    },
  });

  // An error as NocoBase's QuickJS worker words it: "Name: message" for an error object, String()
  // of anything else thrown.
  function errorText(e) {
    if (e !== null && typeof e === 'object' && typeof e.message === 'string') {
      return e.name ? e.name + ': ' + e.message : e.message;
    }
    try {
      return String(e);
    } catch (_) {
      return 'Error: the script threw a value that has no text';
    }
  }

  let outcome = null;
  return {
    setArgs: function (json) {
      const args = parse(json);
      for (const k of keys(args)) global[k] = args[k];
    },
    settle: function (promise) {
      then.call(
        promise,
        function (value) {
          try {
            const text = stringify(value);
            outcome = 'R' + (text === undefined ? 'null' : text);
          } catch (e) {
            outcome = 'E' + errorText(e);
          }
        },
        function (e) {
          outcome = 'E' + errorText(e);
        },
      );
    },
    outcome: function () {
      return outcome;
    },
    logs: function () {
      return stringify(lines);
    },
  };
})(globalThis);
