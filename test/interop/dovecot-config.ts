// Renders a self-contained Dovecot 2.3 configuration: nothing is read from /etc/dovecot, every socket is
// under the lab folder or on 127.0.0.1, and a bearer token is judged locally against one trusted key.

export interface DovecotLayout {
  /** The lab folder; everything Dovecot writes stays below it. */
  root: string;
  instanceName: string;
  ports: { imaps: number; pop3s: number; submission: number };
  /** Where the submission service relays accepted mail (a sink on loopback that discards it). */
  relay: { host: string; port: number };
  certFile: string;
  keyFile: string;
  /** auth_username_format: how the login name is normalised before passdb sees it. */
  loginNameFormat: string;
  /** Running as an ordinary user: no chroot for the login and anvil processes (only root may chroot). */
  unprivileged: boolean;
  /** Users the processes run as: Dovecot's own when root, the current user otherwise. */
  internalUser: string;
  internalGroup: string;
  loginUser: string;
  mailUid: string;
  mailGid: string;
}

export interface OAuth2Policy {
  /** Space-separated accepted `iss` values. */
  issuers: string;
  /** Must appear in the token's `aud` (Debian's 2.3.19 backport compares it). */
  clientId: string;
  /** The claim whose value must equal the SASL login name (compared lower-cased). */
  usernameClaim: string;
  /** Folder of the fs dict holding the public keys: <keyDir>/<azp|default>/<alg>/<kid|default>. */
  keyDir: string;
}

export function renderDovecotConf(l: DovecotLayout, oauth2ConfFile: string): string {
  const chroot = l.unprivileged ? '\n  chroot =' : '';
  return `# m365-doctor interop lab (generated; see test/interop/dovecot-config.ts)
instance_name = ${l.instanceName}
base_dir = ${l.root}/run
state_dir = ${l.root}/state
log_path = ${l.root}/log/dovecot.log
protocols = imap pop3 submission
listen = 127.0.0.1
hostname = interop.m365-doctor.test
default_internal_user = ${l.internalUser}
default_internal_group = ${l.internalGroup}
default_login_user = ${l.loginUser}

ssl = required
ssl_cert = <${l.certFile}
ssl_key = <${l.keyFile}
ssl_min_protocol = TLSv1.2

auth_mechanisms = xoauth2 oauthbearer
auth_username_format = ${l.loginNameFormat}
# Failure tests must be fast: no delay after a failed login, no anvil penalty (its socket is made unusable).
auth_failure_delay = 0
auth_verbose = yes
auth_debug = no
disable_plaintext_auth = yes

passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = ${oauth2ConfFile}
}
userdb {
  driver = static
  args = uid=${l.mailUid} gid=${l.mailGid} home=${l.root}/home/%Ln
}
mail_location = maildir:~/Maildir
first_valid_uid = 0

submission_relay_host = ${l.relay.host}
submission_relay_port = ${l.relay.port}
submission_relay_ssl = no

service imap-login {${chroot}
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    port = ${l.ports.imaps}
    ssl = yes
  }
}
service pop3-login {${chroot}
  inet_listener pop3 {
    port = 0
  }
  inet_listener pop3s {
    port = ${l.ports.pop3s}
    ssl = yes
  }
}
service submission-login {${chroot}
  inet_listener submission {
    port = ${l.ports.submission}
  }
}
service anvil {${chroot}
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
`;
}

export function renderOAuth2Conf(p: OAuth2Policy): string {
  return `# passdb oauth2, local JWT validation (generated)
introspection_mode = local
local_validation_key_dict = fs:posix:prefix=${p.keyDir}/
issuers = ${p.issuers}
client_id = ${p.clientId}
username_attribute = ${p.usernameClaim}
`;
}
