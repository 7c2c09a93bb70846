/**
 * HTML tables → `{"tables": [[{header: cell, ...}, ...], ...]}` (engine shape). Tables come from
 * the `outputSchema` CSS selector (a non-table match means the tables inside it) or from every
 * `<table>`. Headers: `thead tr:first-child th`, else the first row's `th`. Rows: `tbody tr`
 * (else every `tr`), skipping rows holding a `th`. Missing cells are "". A table whose headers
 * are all blank is skipped.
 */
import { parse, type HTMLElement } from 'node-html-parser';

const cellText = (el: HTMLElement): string => el.textContent.replace(/\s+/g, ' ').trim();

/** The direct rows of a table (not those of nested tables). */
function rowsOf(table: HTMLElement, section?: string): HTMLElement[] {
  const rows: HTMLElement[] = [];
  const visit = (el: HTMLElement, inSection: boolean): void => {
    for (const child of el.childNodes) {
      if (!(child as HTMLElement).tagName) continue;
      const c = child as HTMLElement;
      const tag = c.tagName.toLowerCase();
      if (tag === 'table') continue;
      if (tag === 'tr') {
        if (!section || inSection) rows.push(c);
      } else {
        visit(c, inSection || tag === section);
      }
    }
  };
  visit(table, false);
  return rows;
}

const cellsOf = (row: HTMLElement, tags: string[]): HTMLElement[] =>
  row.childNodes.filter((n): n is HTMLElement => !!(n as HTMLElement).tagName && tags.includes((n as HTMLElement).tagName.toLowerCase()));

function tableRows(table: HTMLElement): Array<Record<string, string>> | undefined {
  const headRows = rowsOf(table, 'thead');
  const allRows = rowsOf(table);
  const headerRow = headRows[0] ?? allRows[0];
  const headers = headerRow ? cellsOf(headerRow, ['th']).map(cellText) : [];
  if (!headers.length || headers.every((h) => h === '')) return undefined;
  const bodyRows = rowsOf(table, 'tbody');
  const rows = (bodyRows.length ? bodyRows : allRows).filter((r) => cellsOf(r, ['th']).length === 0);
  return rows.map((r) => {
    const cells = cellsOf(r, ['td']).map(cellText);
    return Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? '']));
  });
}

/** Extracts the tables of an HTML page. */
export function htmlToJson(text: string, selector?: string): { tables: Array<Array<Record<string, string>>> } {
  const root = parse(text);
  let tables: HTMLElement[];
  if (selector) {
    tables = [];
    for (const match of root.querySelectorAll(selector)) {
      if (match.tagName?.toLowerCase() === 'table') tables.push(match);
      else tables.push(...match.querySelectorAll('table'));
    }
  } else {
    tables = root.querySelectorAll('table');
  }
  const out: Array<Array<Record<string, string>>> = [];
  for (const table of [...new Set(tables)]) {
    const rows = tableRows(table);
    if (rows) out.push(rows);
  }
  return { tables: out };
}
