// Whether the process runs in a CI job: CI pipelines set CI (GitHub, GitLab, Azure Pipelines, Jenkins plugins).
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}
