// axe-core in a real page: the violations of the rules a screen must pass, as "rule target (help)" lines.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** WCAG 2.2 A/AA, best practices and the experimental rules (label-content-name-mismatch is one); `exclude`: selectors left out. */
export async function axeViolations(page: Page, exclude: string[] = []): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  const found = (await page.evaluate(async (left) => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice', 'experimental'];
    const context = left.length ? { include: [['html']], exclude: left.map((s) => [s]) } : document;
    return (await axe.run(context, { runOnly: { type: 'tag', values: tags } })).violations;
  }, exclude)) as AxeViolation[];
  return found.flatMap((v) => v.nodes.map((n) => `${v.id} ${n.target.join(' ')} (${v.help})`));
}
