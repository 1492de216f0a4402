// A tiny terminal: replays what a program wrote (text, CR/LF and the cursor and erase sequences the live
// progress uses) onto a grid of lines, so tests read the screen a person would see.
const ESC = /^\u001b\[(\??)([0-9;]*)([A-Za-z])/;

export function renderScreen(output: string): string[] {
  const lines: string[] = [''];
  let row = 0;
  let col = 0;
  const put = (ch: string) => {
    const line = lines[row].padEnd(col, ' ');
    lines[row] = line.slice(0, col) + ch + line.slice(col + 1);
    col++;
  };
  for (let i = 0; i < output.length;) {
    const seq = ESC.exec(output.slice(i, i + 16));
    if (seq) {
      const [whole, priv, arg, cmd] = seq;
      const n = Number(arg || '1');
      if (!priv) {
        if (cmd === 'F') {
          row = Math.max(0, row - n);
          col = 0;
        } else if (cmd === 'A') row = Math.max(0, row - n);
        else if (cmd === 'J') {
          lines[row] = lines[row].slice(0, col);
          lines.length = row + 1;
        } else if (cmd === 'K') lines[row] = lines[row].slice(0, col);
        else if (cmd !== 'm') throw new Error(`screen: unsupported sequence ${JSON.stringify(whole)}`);
      }
      i += whole.length;
      continue;
    }
    const ch = String.fromCodePoint(output.codePointAt(i)!);
    i += ch.length;
    if (ch === '\r') col = 0;
    else if (ch === '\n') {
      row++;
      col = 0;
      if (lines.length <= row) lines.push('');
    } else put(ch);
  }
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
