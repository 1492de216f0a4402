// Shell completion scripts for bash, zsh, fish and PowerShell. Each asks the tool itself for candidates
// (`--get-yargs-completions WORDS...`), running the very bin that printed the script by its absolute path, so
// completion works without m365-doctor on PATH (npx, a project's node_modules); a wrapper function lets
// `m365-doctor` be typed where only npx has it.

export const SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;
export type Shell = (typeof SHELLS)[number];

/** Where the tool runs from: node and the bin script, absolute. */
export interface Invoker {
  node: string;
  bin: string;
  viaNpx: boolean;
}

/** Options whose value is a file: the shells complete paths there. */
const PATH_OPTIONS = ['config', 'targets', 'ca-file', 'scenario-file', 'plugin', 'from'];

const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const psq = (s: string) => `'${s.replace(/'/g, "''")}'`;

export function completionScript(shell: Shell, inv: Invoker): string {
  const head = `m365-doctor completion for ${shell}, printed by ${inv.bin}. Print it again after moving or upgrading m365-doctor.`;
  if (shell === 'bash') return bash(head, inv);
  if (shell === 'zsh') return zsh(head, inv);
  if (shell === 'fish') return fish(head, inv);
  return powershell(head, inv);
}

/** POSIX-shell function that runs the tool: the generating bin while it exists, else m365-doctor from PATH. */
function posixRunner(inv: Invoker): string {
  return [
    '_m365_doctor_run() {',
    `  if [ -f ${sq(inv.bin)} ]; then`,
    `    if [ -x ${sq(inv.node)} ]; then ${sq(inv.node)} ${sq(inv.bin)} "$@"; else node ${sq(inv.bin)} "$@"; fi`,
    '  elif command -v m365-doctor >/dev/null 2>&1; then command m365-doctor "$@"; fi',
    '}',
    '# Without m365-doctor on PATH (it came through npx), "m365-doctor" runs "npx m365-doctor".',
    'command -v m365-doctor >/dev/null 2>&1 || m365-doctor() { npx m365-doctor "$@"; }',
  ].join('\n');
}

function bash(head: string, inv: Invoker): string {
  return `###-begin-m365-doctor-completions-###
# ${head}
# Install: m365-doctor completion bash >> ~/.bashrc   (or: npx m365-doctor completion bash >> ~/.bashrc)
${posixRunner(inv)}
_m365_doctor_completions() {
  local IFS=$'\\n'
  local -a words=("\${COMP_WORDS[@]:0:COMP_CWORD+1}")
  words[0]=m365-doctor
  local candidates
  candidates=$(M365_DOCTOR_COMPLETE=bash _m365_doctor_run --get-yargs-completions "\${words[@]}" 2>/dev/null)
  COMPREPLY=($(compgen -W "$candidates" -- "\${COMP_WORDS[COMP_CWORD]}"))
  # Path options and words the tool has no candidates for fall back to file names (-o default).
  case "\${COMP_WORDS[COMP_CWORD-1]}" in ${PATH_OPTIONS.map((o) => `--${o}`).join('|')}) COMPREPLY=() ;; esac
  return 0
}
complete -o bashdefault -o default -F _m365_doctor_completions m365-doctor
###-end-m365-doctor-completions-###
`;
}

function zsh(head: string, inv: Invoker): string {
  return `#compdef m365-doctor
# ${head}
# Install: m365-doctor completion zsh >> ~/.zshrc (after "autoload -Uz compinit && compinit")
${posixRunner(inv)}
_m365_doctor_completions() {
  local -a reply
  local IFS=$'\\n'
  case "\${words[CURRENT-1]}" in ${PATH_OPTIONS.map((o) => `--${o}`).join('|')}) _files; return ;; esac
  reply=($(M365_DOCTOR_COMPLETE=zsh _m365_doctor_run --get-yargs-completions m365-doctor "\${(@)words[2,CURRENT]}" 2>/dev/null))
  if (( \${#reply} )); then _describe 'm365-doctor' reply; else _files; fi
}
if (( $+functions[compdef] )); then compdef _m365_doctor_completions m365-doctor; fi
`;
}

function fish(head: string, inv: Invoker): string {
  return `# ${head}
# Install: m365-doctor completion fish > ~/.config/fish/completions/m365-doctor.fish
function __m365_doctor_run
    if test -f ${sq(inv.bin)}
        if test -x ${sq(inv.node)}
            ${sq(inv.node)} ${sq(inv.bin)} $argv
        else
            node ${sq(inv.bin)} $argv
        end
    else if type -q m365-doctor
        command m365-doctor $argv
    end
end
# Without m365-doctor on PATH (it came through npx), "m365-doctor" runs "npx m365-doctor".
if not type -q m365-doctor
    function m365-doctor --wraps npx
        npx m365-doctor $argv
    end
end
function __m365_doctor_complete
    set -l words (commandline -opc) (commandline -ct)
    set words[1] m365-doctor
    M365_DOCTOR_COMPLETE=fish __m365_doctor_run --get-yargs-completions $words 2>/dev/null
end
complete -c m365-doctor -f -a '(__m365_doctor_complete)'
${PATH_OPTIONS.map((o) => `complete -c m365-doctor -l ${o} -r -F`).join('\n')}
`;
}

function powershell(head: string, inv: Invoker): string {
  return `# ${head}
# Install: m365-doctor completion powershell >> $PROFILE   (or: npx m365-doctor completion powershell >> $PROFILE)
# Without m365-doctor on PATH (it came through npx), "m365-doctor" runs "npx m365-doctor".
if (-not (Get-Command m365-doctor -CommandType Application -ErrorAction SilentlyContinue)) {
    function global:m365-doctor { npx m365-doctor @args }
}
Register-ArgumentCompleter -Native -CommandName m365-doctor -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @('m365-doctor') + @($commandAst.CommandElements | Select-Object -Skip 1 |
        Where-Object { $_.Extent.EndOffset -le $cursorPosition } | ForEach-Object { $_.Extent.Text })
    # An empty word is passed as '""' so every PowerShell version hands it to node.
    if ($wordToComplete -eq '') { $words += '""' }
    $env:M365_DOCTOR_COMPLETE = 'powershell'
    try {
        $bin = ${psq(inv.bin)}
        $candidates = if (Test-Path -LiteralPath $bin) {
            $node = ${psq(inv.node)}
            if (-not (Test-Path -LiteralPath $node)) { $node = 'node' }
            & $node $bin --get-yargs-completions @words 2>$null
        } elseif (Get-Command m365-doctor -CommandType Application -ErrorAction SilentlyContinue) {
            & (Get-Command m365-doctor -CommandType Application | Select-Object -First 1) --get-yargs-completions @words 2>$null
        }
    } finally {
        Remove-Item Env:M365_DOCTOR_COMPLETE -ErrorAction SilentlyContinue
    }
    $candidates | Where-Object { $_ -and $_.StartsWith($wordToComplete) } | ForEach-Object {
        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
    }
}
`;
}
