// Colour only on a terminal, and never when NO_COLOR is set to anything (https://no-color.org).
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

/** The terminal's width; when stdout is not a terminal, COLUMNS (as shells export it), else 100. */
export function terminalWidth(stream: { columns?: number }, env: NodeJS.ProcessEnv = process.env): number {
  if (stream.columns && stream.columns > 0) return stream.columns;
  const columns = Number(env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : 100;
}
