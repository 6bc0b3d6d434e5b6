// The shared-memory layout is defined once in C (shared/tvm_layout.h); its JavaScript twin
// (shared/layout.js) must agree constant for constant.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as L from '../../shared/layout.js';

const header = readFileSync(new URL('../../shared/tvm_layout.h', import.meta.url), 'utf8');

function cConstants() {
  const values = {};
  const evaluate = (expr) => {
    const e = expr.replace(/\/\*.*?\*\//g, '').trim().replace(/\b(TVM_[A-Z0-9_]+)\b/g, (n) => {
      if (!(n in values)) throw new Error(`unknown name ${n} in ${expr}`);
      return String(values[n]);
    });
    if (!/^[\d\s+*()-]+$/.test(e)) return undefined; // a function-like macro or other text
    return Function(`return (${e});`)();
  };
  for (const m of header.matchAll(/^#define (TVM_[A-Z0-9_]+)(?!\()\s+(.+)$/gm)) {
    const v = evaluate(m[2]);
    if (v !== undefined) values[m[1]] = v;
  }
  for (const m of header.matchAll(/^\s+(TVM_STATE_[A-Z]+) = (\d+),/gm)) values[m[1]] = Number(m[2]);
  return values;
}

test('every C layout constant has the same value in layout.js', () => {
  const c = cConstants();
  assert.ok(Object.keys(c).length > 40, 'parsed the header');
  for (const [name, value] of Object.entries(c)) {
    if (name === 'TVM_LAYOUT_H') continue;
    assert.equal(L[name], value, name);
  }
});

test('layout.js defines nothing the C header does not', () => {
  const c = cConstants();
  for (const name of Object.keys(L)) assert.ok(name in c, `${name} is not in tvm_layout.h`);
});
