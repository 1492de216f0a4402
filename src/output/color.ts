// Colour only on a terminal, and never when NO_COLOR is set to anything (https://no-color.org).
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

export function terminalWidth(stream: { columns?: number }): number {
  return stream.columns && stream.columns > 0 ? stream.columns : 100;
}
