/**
 * ESLint rule `local/no-test-sleep`: a test waits for an event, never for time.
 *
 * Refused (in the files the config applies it to: test/**, except the one polling helper
 * test/helpers/poll.ts):
 *   - a promise resolved by a timer:   new Promise((r) => setTimeout(r, 50))
 *                                       new Promise((resolve) => setTimeout(() => resolve(), 50))
 *   - the promise form of the timer:    import { setTimeout } from 'node:timers/promises'
 *   - a promisified timer:              promisify(setTimeout)
 * A timer that rejects (a time limit on a wait) is not a sleep and is allowed. A file that calls
 * `jest.useFakeTimers()` is exempt: its timers are advanced by the test, no time passes.
 */

const TIMER_PROMISES = /^(node:)?timers\/promises$/;

/** The name of the first parameter (resolve) of the `new Promise(executor)` around `node`. */
function enclosingResolveNames(node) {
  const names = new Set();
  for (let at = node.parent; at; at = at.parent) {
    const isExecutor =
      (at.type === 'ArrowFunctionExpression' || at.type === 'FunctionExpression') &&
      at.parent?.type === 'NewExpression' &&
      at.parent.callee.type === 'Identifier' &&
      at.parent.callee.name === 'Promise' &&
      at.parent.arguments[0] === at;
    if (isExecutor && at.params[0]?.type === 'Identifier') names.add(at.params[0].name);
  }
  return names;
}

/** The function a timer is given calls only resolve: `() => resolve()` or `() => { resolve(); }`. */
function onlyCalls(fn, names) {
  if (fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression') return false;
  let body = fn.body;
  if (body.type === 'BlockStatement') {
    if (body.body.length !== 1 || body.body[0].type !== 'ExpressionStatement') return false;
    body = body.body[0].expression;
  }
  return body.type === 'CallExpression' && body.callee.type === 'Identifier' && names.has(body.callee.name);
}

/** @type {import('eslint').Rule.RuleModule} */
export const noTestSleep = {
  meta: {
    type: 'problem',
    docs: { description: 'Tests wait for events (or use the polling helper / fake timers), not for time.' },
    messages: {
      sleep: 'A fixed sleep in a test: wait for the event (test/helpers/poll.ts) or use jest fake timers.',
    },
    schema: [],
  },
  create(context) {
    const found = [];
    let fakeTimers = false;
    return {
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type === 'MemberExpression' && callee.property.type === 'Identifier' && callee.property.name === 'useFakeTimers') {
          fakeTimers = true;
          return;
        }
        if (callee.type === 'Identifier' && callee.name === 'promisify' && node.arguments[0]?.type === 'Identifier' && node.arguments[0].name === 'setTimeout') {
          found.push(node);
          return;
        }
        if (callee.type !== 'Identifier' || callee.name !== 'setTimeout') return;
        const first = node.arguments[0];
        if (!first) return;
        const resolveNames = enclosingResolveNames(node);
        if (resolveNames.size === 0) return;
        if ((first.type === 'Identifier' && resolveNames.has(first.name)) || onlyCalls(first, resolveNames)) found.push(node);
      },
      ImportDeclaration(node) {
        if (!TIMER_PROMISES.test(String(node.source.value))) return;
        for (const spec of node.specifiers) {
          if (spec.type !== 'ImportSpecifier' || (spec.imported.name ?? spec.imported.value) === 'setTimeout') found.push(spec);
        }
      },
      'Program:exit'() {
        if (fakeTimers) return;
        for (const node of found) context.report({ node, messageId: 'sleep' });
      },
    };
  },
};

export default { rules: { 'no-test-sleep': noTestSleep } };
