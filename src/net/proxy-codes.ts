// What the proxy error codes mean, for `m365-doctor explain` (they come from any check that reaches Entra or Graph).
export const PROXY_CODES: Record<string, { message: string; remediation: string }> = {
  PROXY_AUTH_REQUIRED: {
    message:
      'The HTTP proxy answered CONNECT with 407 Proxy Authentication Required: it wants credentials, or refused the ones in the proxy URL.',
    remediation:
      'Put them in the proxy URL: --proxy http://user:password@host:port (or HTTPS_PROXY); the password is kept out of every output. Proxies that only take Kerberos/NTLM need an allow rule for the tool instead.',
  },
  PROXY_REFUSED: {
    message:
      'The HTTP proxy refused the tunnel (403: its policy does not allow that host or port; 5xx: it could not reach the host itself).',
    remediation:
      'Ask for login.microsoftonline.com, graph.microsoft.com (port 443) to be allowed through the proxy, or set NO_PROXY for hosts reachable directly.',
  },
  PROXY_UNREACHABLE: {
    message: 'The HTTP proxy itself could not be reached (refused, unknown name, reset) before it answered CONNECT.',
    remediation:
      'Check the proxy URL in --proxy, the config key "proxy" or HTTPS_PROXY / HTTP_PROXY; unset them where no proxy is needed.',
  },
};
