// A secret reference {"env": NAME} is echoed in errors only when NAME has the shape of a variable name: a
// secret pasted where the name belongs ({"env": "Summer2026Secret!"}) must not be printed back.
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isVariableName(name: string): boolean {
  return VARIABLE_NAME.test(name);
}

/** Why an {env} reference gave no value, naming the variable only when it looks like one. */
export function unsetEnvProblem(name: string): { problem: string; fix: string } {
  if (!isVariableName(name)) {
    return {
      problem: 'refers to an invalid variable name (not shown: it may be a secret)',
      fix: 'Give the name of an environment variable (letters, digits, _), not its value',
    };
  }
  // A mixed-case word (Summer2026Secret) has a variable's shape too, and is what a pasted password looks like:
  // only the shell's convention for exported names (upper case, digits, _) is echoed.
  if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) {
    return {
      problem:
        'refers to an environment variable that is not set (its name is not shown: it is not in upper case, and may be a secret)',
      fix: 'Export that variable, or give the name of one (e.g. CONNECTOR_PASSWORD), not the secret itself',
    };
  }
  return { problem: `refers to environment variable ${name}, which is not set`, fix: `Export ${name} before the run` };
}
