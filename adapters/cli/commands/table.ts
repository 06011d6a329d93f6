import { spreadsheetSafe } from '../../../core/text/people-text.ts';

/**
 * Lays rows out in aligned columns under a header, for terminal listings. Widths count code
 * points, which is close enough for names in any script. Cells are made spreadsheet-safe:
 * listings get pasted into spreadsheets, and a name stored before the rules were tightened
 * must not run as a formula there.
 */
export function formatTable(header: readonly string[], cellRows: readonly (readonly string[])[]): string[] {
  const rows = cellRows.map((row) => row.map(spreadsheetSafe));
  const widths = header.map((title, i) => Math.max([...title].length, ...rows.map((row) => [...(row[i] ?? '')].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - [...cell].length)))
      .join('  ');
  return [line(header), ...rows.map(line)];
}
