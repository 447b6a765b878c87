/**
 * Amazon RDS's certificate authorities, so GitLab and Praefect verify the database server's
 * certificate and name (`sslmode=verify-full`), not only encrypt (`require`). The boot script
 * downloads AWS's bundle at each boot over HTTPS (it changes when AWS adds or rotates CAs) and
 * installs it world-readable: Puma, Sidekiq and Praefect read it as the git user.
 */
export const RDS_CA_BUNDLE_PATH = '/usr/local/share/gitlab-node/rds-ca-bundle.pem';

/** AWS's bundle of every commercial region's RDS CAs. */
export const RDS_CA_BUNDLE_URL = 'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem';

/** The libpq `sslmode` for managed PostgreSQL: encrypted, server certificate and host name checked. */
export const RDS_SSLMODE = 'verify-full';
