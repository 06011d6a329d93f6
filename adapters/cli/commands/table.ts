/**
 * Lays rows out in aligned columns under a header, for terminal listings. Widths count code
 * points, which is close enough for names in any script.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, i) => Math.max([...title].length, ...rows.map((row) => [...(row[i] ?? '')].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - [...cell].length)))
      .join('  ');
  return [line(header), ...rows.map(line)];
}
