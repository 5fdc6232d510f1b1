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

/**
 * What is wrong with the screen the page shows, as lines naming it: axe-core's violations, and a page wider than the
 * viewport (`width`, the page's own when not given).
 */
export async function screenProblems(page: Page, name: string, width = page.viewportSize()?.width ?? Number.POSITIVE_INFINITY): Promise<string[]> {
  const problems = (await axeViolations(page)).map((v) => `${name}: ${v}`);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  if (wide > width) problems.push(`${name}: scrollWidth ${wide} > ${width}`);
  return problems;
}
