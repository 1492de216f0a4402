// A secret reference {"env": NAME} is echoed in errors only when NAME has the shape of a variable name: a
// secret pasted where the name belongs ({"env": "Summer2026Secret!"}) must not be printed back.
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isVariableName(name: string): boolean {
  return VARIABLE_NAME.test(name);
}

/** Why an {env} reference gave no value, naming the variable only when it looks like one. */
export function unsetEnvProblem(name: string): { problem: string; fix: string } {
  if (!isVariableName(name)) {
    return { problem: 'refers to an invalid variable name (not shown: it may be a secret)', fix: 'Give the name of an environment variable (letters, digits, _), not its value' };
  }
  return { problem: `refers to environment variable ${name}, which is not set`, fix: `Export ${name} before the run` };
}
