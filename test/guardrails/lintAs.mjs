/**
 * Lints fixture files with the repository's eslint.config.mjs as if each lived at another path
 * (ESLint's lintText with a filePath), and prints `{ "fixture#key": ruleIds[] }` as JSON. Run as a child
 * process by guardrails.test.ts: ESLint loads its ESM config with import(), which jest's module
 * sandbox does not offer.
 *
 *   node test/guardrails/lintAs.mjs fixture=as/path.ts#key [...]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const eslint = new ESLint({ cwd: ROOT });
const found = {};
for (const pair of process.argv.slice(2)) {
  const [fixture, target] = pair.split('=');
  const asPath = target.replace(/#\d+$/, '');
  const [result] = await eslint.lintText(fs.readFileSync(path.join(ROOT, fixture), 'utf8'), { filePath: path.join(ROOT, asPath) });
  if (!result) throw new Error(`${asPath}: ESLint returned no result (ignored path?)`);
  const fatal = result.messages.filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(`${fixture}: ${fatal.map((m) => m.message).join('; ')}`);
  found[`${fixture}#${target.split('#')[1]}`] = result.messages.map((m) => m.ruleId);
}
console.log(JSON.stringify(found));
