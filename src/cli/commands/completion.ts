// Command: `m365-doctor completion` prints yargs' shell completion script (zsh when $SHELL is zsh, else bash).
// yargs owns the command: it prints the script, and answers the script's `--get-yargs-completions` calls
// with the commands, options and option choices that fit the words typed so far.

/** Arguments of yargs' .completion(): the command name and its line in --help. */
export const COMPLETION_COMMAND = [
  'completion',
  'Print a bash or zsh completion script (by $SHELL): m365-doctor completion >> ~/.bashrc (or ~/.zshrc)',
] as const;
