// What the reader of a report should know about the machine it ran on (an ignored NODE_TLS_REJECT_UNAUTHORIZED=0,
// a config file others can read): noted once by whoever finds it, carried by every report of the process.
const noted: string[] = [];

export function noteEnvironmentWarning(text: string): void {
  if (!noted.includes(text)) noted.push(text);
}

export function environmentWarnings(): string[] {
  return [...noted];
}
