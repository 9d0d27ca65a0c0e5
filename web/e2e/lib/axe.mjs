// The shared accessibility check of the browser tests: injects axe-core
// (the npm package, web/node_modules/axe-core/axe.min.js) into the page and
// runs it on the whole document. `axeProblems` returns the violations whose
// impact is serious or critical, one line each: rule id, impact, how many
// nodes, the first target selectors and axe's summary of the first node.
// `expectAccessible` throws with those lines when there is any.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// Evaluated through the DevTools protocol rather than added as a <script>:
// the server's Content-Security-Policy (script-src 'self') refuses inline
// scripts, as it should.
const axeSource = `${readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')}\n;void 0;`;
const BLOCKING = new Set(['serious', 'critical']);

export async function axeProblems(page, { exclude = [] } = {}) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(axeSource);
  }
  const result = await page.evaluate(async (ex) => {
    const context = ex.length ? { exclude: ex } : document;
    const r = await window.axe.run(context, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
      summary: (v.nodes[0]?.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 200),
    }));
  }, exclude);
  return result
    .filter((v) => BLOCKING.has(v.impact))
    .map((v) => `${v.id} (${v.impact}, ${v.targets.length} nodes): ${v.targets.slice(0, 3).join(' | ')} — ${v.help}. ${v.summary}`);
}

export async function expectAccessible(page, where, opts) {
  const problems = await axeProblems(page, opts);
  if (problems.length) throw new Error(`${where}: ${problems.length} serious or critical axe violations\n       ${problems.join('\n       ')}`);
}
