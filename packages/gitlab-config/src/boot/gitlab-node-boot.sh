#!/usr/bin/env bash
# gitlab-node-boot: turns this instance into its GitLab role. Run by cloud-init at first boot; safe
# to run again (sudo gitlab-node-boot). Reads /etc/gitlab-node/node.env (no secrets), fetches or
# creates secrets, installs the pinned package, waits for dependencies, writes gitlab.rb, runs
# gitlab-ctl reconfigure and reports to the SSM status parameter. Log: /var/log/gitlab-node-boot.log
set -Eeuo pipefail
umask 077
NODE_DIR=${NODE_DIR:-/etc/gitlab-node}
SECRETS_DIR=${SECRETS_DIR:-/etc/gitlab/boot-secrets}
STATE_DIR=${STATE_DIR:-/var/lib/gitlab-node}
GITLAB_ETC=${GITLAB_ETC:-/etc/gitlab}
POLL_SECONDS=${POLL_SECONDS:-15}
PSQL=${PSQL:-/opt/gitlab/embedded/bin/psql}
GITLAB_RAILS=${GITLAB_RAILS:-gitlab-rails}
SSHD_CONFIG_DIR=${SSHD_CONFIG_DIR:-/etc/ssh/sshd_config.d}
SSHD=${SSHD:-/usr/sbin/sshd}
SYSTEMCTL=${SYSTEMCTL:-systemctl}
GITLAB_BACKUP=${GITLAB_BACKUP:-gitlab-backup}
GITLAB_CTL=${GITLAB_CTL:-gitlab-ctl}
CRON_DIR=${CRON_DIR:-/etc/cron.d}
BACKUP_DIR=${BACKUP_DIR:-/var/opt/gitlab/backups}
DISK_BY_ID=${DISK_BY_ID:-/dev/disk/by-id}
FSTAB=${FSTAB:-/etc/fstab}
SSL_DIR=${SSL_DIR:-/etc/gitlab/ssl}
TRUSTED_CERTS_DIR=${TRUSTED_CERTS_DIR:-/etc/gitlab/trusted-certs}
STEP=init

log() { printf '%s gitlab-node-boot[%s]: %s\n' "$(date -u +%FT%TZ)" "$STEP" "$*" >&2; }

# report STATE MESSAGE: writes the status JSON locally and to the SSM status parameter.
report() {
  local msg=${2//[\"\\]/}
  mkdir -p "$STATE_DIR"
  printf '{"state":"%s","step":"%s","node":"%s","role":"%s","version":"%s","time":"%s","message":"%s"}\n' \
    "$1" "$STEP" "$GITLAB_NODE" "$GITLAB_ROLE" "$GITLAB_VERSION" "$(date -u +%FT%TZ)" "$msg" >"$STATE_DIR/status.json"
  aws ssm put-parameter --name "$STATUS_PARAMETER" --type String --overwrite \
    --value "file://$STATE_DIR/status.json" >/dev/null 2>&1 || log "could not write $STATUS_PARAMETER"
}

fail() { log "FAILED: $*"; report failed "$*"; rm -f "$NODE_DIR/db-direct-host"; exit 1; }
on_error() { fail "command failed (exit $1) at line $2"; }

deadline() { echo $(($(date +%s) + DEPENDENCY_TIMEOUT)); }

random_secret() {
  case $1 in
    hex32) openssl rand -hex 32 ;;
    base64-32) openssl rand -base64 32 ;;
    *) fail "unknown secret format $1" ;;
  esac
}

# ssm_secret NAME FORMAT: reads <prefix>/NAME into SECRETS_DIR/NAME, creating it when absent.
# put-parameter without --overwrite is the race guard: if another node created it first, read theirs.
ssm_secret() {
  local name=$1 format=$2 param="$SECRETS_PREFIX/$1" dest="$SECRETS_DIR/$1" err
  if err=$(aws ssm get-parameter --name "$param" --with-decryption --query Parameter.Value --output text 2>&1 >"$dest.tmp"); then
    mv "$dest.tmp" "$dest"; return 0
  fi
  [[ $err == *ParameterNotFound* ]] || fail "reading $param: $err"
  random_secret "$format" >"$dest.new"
  if err=$(aws ssm put-parameter --name "$param" --type SecureString ${KMS_KEY_ID:+--key-id "$KMS_KEY_ID"} \
      --value "file://$dest.new" 2>&1 >/dev/null); then
    mv "$dest.new" "$dest"; log "created $param"; return 0
  fi
  rm -f "$dest.new"
  [[ $err == *ParameterAlreadyExists* ]] || fail "creating $param: $err"
  log "$param was created by another node; using it"
  aws ssm get-parameter --name "$param" --with-decryption --query Parameter.Value --output text >"$dest.tmp" || fail "reading $param"
  mv "$dest.tmp" "$dest"
}

# managed_secret FILE ARN [JSON_KEY]: a credential from a secret AWS manages (RDS, ElastiCache).
managed_secret() {
  local dest="$SECRETS_DIR/$1"
  aws secretsmanager get-secret-value --secret-id "$2" --query SecretString --output text >"$dest.raw" || fail "reading secret $2"
  if [[ -n ${3:-} ]]; then
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$dest.raw" "$3" >"$dest" || fail "no key $3 in secret $2"
  else mv "$dest.raw" "$dest"; fi
  rm -f "$dest.raw"
}

fetch_secrets() {
  mkdir -p "$SECRETS_DIR"; chmod 700 "$SECRETS_DIR"
  local s
  for s in $GENERATED_SECRETS; do ssm_secret "${s%%:*}" "${s#*:}"; done
  for s in $MANAGED_SECRETS; do IFS='|' read -r file arn key <<<"$s"; managed_secret "$file" "$arn" "$key"; done
}

# bootstrap_database: on a managed PostgreSQL (RDS), the seed node creates the application's own
# login (DB_BOOTSTRAP="host port database user secret-prefix") with the master credentials, or
# re-applies its password, makes it the database's owner and adds the extensions GitLab needs.
# GitLab and Praefect then log in as that user, so RDS rotating the master password never breaks
# them. The master credentials live in files only for this step; values never reach a command line.
bootstrap_database() {
  [[ -n ${DB_BOOTSTRAP:-} ]] || return 0
  local host port db user prefix pass
  read -r host port db user prefix <<<"$DB_BOOTSTRAP"
  pass="$SECRETS_DIR/.pgpass-$prefix"
  # PGPASSFILE keeps the master password out of the environment and the arguments.
  printf '%s:%s:*:%s:%s\n' "$host" "$port" "$(cat "$SECRETS_DIR/$prefix-master-username")" "$(sed 's/[\\:]/\\&/g' "$SECRETS_DIR/$prefix-master-password")" >"$pass"
  local rc=0
  PGPASSFILE=$pass PGCONNECT_TIMEOUT=10 "$PSQL" "host=$host port=$port dbname=$db user=$(cat "$SECRETS_DIR/$prefix-master-username") sslmode=verify-full sslrootcert=$RDS_CA_BUNDLE" \
    -v ON_ERROR_STOP=1 -v app_user="$user" -v app_db="$db" -v pw_file="$SECRETS_DIR/$prefix-password" <<'SQL' || rc=$?
\set pw `cat :pw_file`
SELECT format('CREATE ROLE %I WITH LOGIN PASSWORD %L', :'app_user', :'pw') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_user') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'app_user', :'pw') \gexec
SELECT format('GRANT %I TO CURRENT_USER', :'app_user') \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', :'app_db', :'app_user') \gexec
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gist;
SQL
  rm -f "$pass" "$SECRETS_DIR/$prefix-master-username" "$SECRETS_DIR/$prefix-master-password"
  ((rc == 0)) || fail "creating the $user login on $host:$port/$db failed (psql exit $rc)"
  log "database login $user ready on $host:$port/$db"
}

# rds_ca_bundle: Amazon RDS's CA certificates (RDS_CA_URL, AWS's trust store, over HTTPS), so GitLab,
# Praefect and bootstrap_database check the database server's certificate and name (verify-full).
# Fetched at every boot, since AWS adds CAs; a failed download keeps an earlier copy.
rds_ca_bundle() {
  [[ -n ${RDS_CA_URL:-} ]] || return 0
  local dir tmp="$RDS_CA_BUNDLE.new"; dir=$(dirname "$RDS_CA_BUNDLE")
  # Readable by the git user (Puma, Sidekiq, Praefect): certificates are public.
  mkdir -p "$dir"; chmod 755 "$dir"
  if curl -fsSL --retry 5 --max-time 60 -o "$tmp" "$RDS_CA_URL" && grep -q -- '-----BEGIN CERTIFICATE-----' "$tmp" && openssl x509 -in "$tmp" -noout 2>/dev/null; then
    chmod 644 "$tmp"; mv "$tmp" "$RDS_CA_BUNDLE"; log "RDS CA bundle from $RDS_CA_URL installed at $RDS_CA_BUNDLE"
    return 0
  fi
  rm -f "$tmp"
  [[ -s $RDS_CA_BUNDLE ]] || fail "could not download a valid RDS CA bundle from $RDS_CA_URL (needed to verify RDS: sslmode=verify-full)"
  log "could not refresh the RDS CA bundle from $RDS_CA_URL; keeping $RDS_CA_BUNDLE"
}

# Shared files: published by the seed node to Secrets Manager as base64, installed by the others.
shared_pack() {
  case $1 in
    gitlab-secrets-json) base64 -w0 "$GITLAB_ETC/gitlab-secrets.json" ;;
    ssh-host-keys) tar -C /etc/ssh -czf - $(cd /etc/ssh && ls ssh_host_*key*) | base64 -w0 ;;
  esac
}
shared_unpack() {
  case $1 in
    gitlab-secrets-json) base64 -d >"$GITLAB_ETC/gitlab-secrets.json"; chmod 600 "$GITLAB_ETC/gitlab-secrets.json" ;;
    ssh-host-keys) base64 -d | tar -C /etc/ssh -xzf - && { systemctl reload ssh 2>/dev/null || systemctl reload sshd 2>/dev/null || true; } ;;
  esac
}
# shared_fetch NAME: installs it and returns 0, or returns 1 when it does not exist yet.
shared_fetch() {
  local err tmp="$SECRETS_DIR/.shared-$1"
  if err=$(aws secretsmanager get-secret-value --secret-id "$SHARED_PREFIX/$1" --query SecretString --output text 2>&1 >"$tmp"); then
    shared_unpack "$1" <"$tmp"; rm -f "$tmp"; return 0
  fi
  rm -f "$tmp"
  [[ $err == *ResourceNotFoundException* ]] && return 1
  fail "reading $SHARED_PREFIX/$1: $err"
}
shared_publish() {
  local err tmp="$SECRETS_DIR/.shared-$1"
  shared_pack "$1" >"$tmp"
  if err=$(aws secretsmanager create-secret --name "$SHARED_PREFIX/$1" ${KMS_KEY_ID:+--kms-key-id "$KMS_KEY_ID"} \
      --secret-string "file://$tmp" 2>&1 >/dev/null); then
    log "published $SHARED_PREFIX/$1"
  elif [[ $err != *ResourceExistsException* ]]; then
    rm -f "$tmp"; fail "publishing $SHARED_PREFIX/$1: $err"
  fi
  rm -f "$tmp"
}
wait_shared() {
  local end; end=$(deadline)
  until shared_fetch "$1"; do
    (($(date +%s) < end)) || fail "timed out after ${DEPENDENCY_TIMEOUT}s waiting for $SHARED_PREFIX/$1 (the seed Rails node publishes it after its first reconfigure)"
    log "waiting for $SHARED_PREFIX/$1"; sleep "$POLL_SECONDS"
  done
}

# Internal CA (INTERNAL_CA=issue on Gitaly and Praefect, trust on Rails and Sidekiq). Gitaly and
# Praefect listen only with TLS. The first Gitaly or Praefect node to get here creates the CA and
# stores key and certificate in Secrets Manager ("internal-ca"; create-secret is the race guard, a
# loser reads the winner's); each of them then issues its own certificate for TLS_NAMES (its
# address, Praefect also the internal load balancer's name). Clients get the CA certificate alone
# ("internal-ca-cert"). The CA key stays in a root-only file on Gitaly and Praefect nodes.
CA_KEY_FILE=internal-ca.key
CA_CERT_NAME=gitlab-internal-ca.crt
internal_ca() {
  case ${INTERNAL_CA:-} in
    issue) internal_ca_get; issue_node_certificate; internal_ca_publish_cert ;;
    trust) internal_ca_trust ;;
    "") return 0 ;;
    *) fail "unknown INTERNAL_CA mode $INTERNAL_CA" ;;
  esac
}
# internal_ca_get: the CA key into SECRETS_DIR, the certificate into TRUSTED_CERTS_DIR, creating the CA when absent.
internal_ca_get() {
  local err tmp="$SECRETS_DIR/.internal-ca"
  mkdir -p "$TRUSTED_CERTS_DIR"
  if ! err=$(aws secretsmanager get-secret-value --secret-id "$SHARED_PREFIX/internal-ca" --query SecretString --output text 2>&1 >"$tmp"); then
    [[ $err == *ResourceNotFoundException* ]] || { rm -f "$tmp"; fail "reading $SHARED_PREFIX/internal-ca: $err"; }
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj "/CN=GitLab internal CA/O=${SHARED_PREFIX//\//-}" \
      -addext basicConstraints=critical,CA:TRUE,pathlen:0 -addext keyUsage=critical,keyCertSign,cRLSign \
      -keyout "$tmp.key" -out "$tmp.crt" 2>/dev/null || fail "creating the internal CA failed"
    cat "$tmp.key" "$tmp.crt" | base64 -w0 >"$tmp.new"; rm -f "$tmp.key" "$tmp.crt"
    if err=$(aws secretsmanager create-secret --name "$SHARED_PREFIX/internal-ca" ${KMS_KEY_ID:+--kms-key-id "$KMS_KEY_ID"} \
        --secret-string "file://$tmp.new" 2>&1 >/dev/null); then
      mv "$tmp.new" "$tmp"; log "created the internal CA $SHARED_PREFIX/internal-ca"
    else
      rm -f "$tmp.new"
      [[ $err == *ResourceExistsException* ]] || fail "creating $SHARED_PREFIX/internal-ca: $err"
      log "$SHARED_PREFIX/internal-ca was created by another node; using it"
      aws secretsmanager get-secret-value --secret-id "$SHARED_PREFIX/internal-ca" --query SecretString --output text >"$tmp" || fail "reading $SHARED_PREFIX/internal-ca"
    fi
  fi
  base64 -d <"$tmp" >"$tmp.pem" && rm -f "$tmp"
  openssl pkey -in "$tmp.pem" -out "$SECRETS_DIR/$CA_KEY_FILE" 2>/dev/null && chmod 600 "$SECRETS_DIR/$CA_KEY_FILE" || { rm -f "$tmp.pem"; fail "no key in $SHARED_PREFIX/internal-ca"; }
  openssl x509 -in "$tmp.pem" -out "$TRUSTED_CERTS_DIR/$CA_CERT_NAME" 2>/dev/null || { rm -f "$tmp.pem"; fail "no certificate in $SHARED_PREFIX/internal-ca"; }
  rm -f "$tmp.pem"; chmod 644 "$TRUSTED_CERTS_DIR/$CA_CERT_NAME"
}
# issue_node_certificate: this node's key and certificate for TLS_NAMES, signed by the internal CA.
# Renewed when missing, expiring within 30 days or for other names; re-run gitlab-node-boot to renew.
issue_node_certificate() {
  local crt="$SSL_DIR/gitlab-node.crt" key="$SSL_DIR/gitlab-node.key" ext="$SECRETS_DIR/.node-cert.ext"
  [[ -n ${TLS_NAMES:-} ]] || fail "TLS_NAMES is empty: the node certificate needs its address"
  mkdir -p "$SSL_DIR"; chmod 755 "$SSL_DIR"
  if [[ -s $crt && -s $key ]] && openssl x509 -in "$crt" -noout -checkend "${CERT_RENEW_SECONDS:-2592000}" >/dev/null 2>&1 \
      && openssl verify -CAfile "$TRUSTED_CERTS_DIR/$CA_CERT_NAME" "$crt" >/dev/null 2>&1 \
      && [[ $(openssl x509 -in "$crt" -noout -ext subjectAltName 2>/dev/null | tail -n +2 | tr -d ' ') == "$(echo "$TLS_NAMES" | sed 's/IP:/IPAddress:/g')" ]]; then
    log "node certificate for $TLS_NAMES is current"; return 0
  fi
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=%s\n' "$TLS_NAMES" >"$ext"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$GITLAB_NODE" -keyout "$key.new" -out "$SECRETS_DIR/.node.csr" 2>/dev/null \
    && openssl x509 -req -in "$SECRETS_DIR/.node.csr" -CA "$TRUSTED_CERTS_DIR/$CA_CERT_NAME" -CAkey "$SECRETS_DIR/$CA_KEY_FILE" -CAcreateserial \
      -days 825 -sha256 -extfile "$ext" -out "$crt.new" 2>/dev/null || { rm -f "$key.new" "$ext"; fail "issuing the node certificate for $TLS_NAMES failed"; }
  rm -f "$ext" "$SECRETS_DIR/.node.csr"
  # Gitaly and Praefect run as git and read the key; it is never readable by others.
  chmod 600 "$key.new"; chown git:git "$key.new" 2>/dev/null || true
  chmod 644 "$crt.new"; mv "$key.new" "$key"; mv "$crt.new" "$crt"
  log "issued the node certificate for $TLS_NAMES (valid 825 days)"
}
# internal_ca_publish_cert: the CA certificate alone, for Rails and Sidekiq (create if absent).
internal_ca_publish_cert() {
  local err
  if err=$(aws secretsmanager create-secret --name "$SHARED_PREFIX/internal-ca-cert" ${KMS_KEY_ID:+--kms-key-id "$KMS_KEY_ID"} \
      --secret-string "file://$TRUSTED_CERTS_DIR/$CA_CERT_NAME" 2>&1 >/dev/null); then
    log "published $SHARED_PREFIX/internal-ca-cert"
  elif [[ $err != *ResourceExistsException* ]]; then
    fail "publishing $SHARED_PREFIX/internal-ca-cert: $err"
  fi
}
# certificate: renews this node's certificate when issue_node_certificate finds it due (weekly, from
# cron) and restarts the service that serves it (gitaly or praefect); a no-op while it is current.
certificate() {
  [[ ${INTERNAL_CA:-} == issue ]] || { log "this node serves no TLS certificate"; return 0; }
  local before after
  before=$(openssl x509 -in "$SSL_DIR/gitlab-node.crt" -noout -fingerprint -sha256 2>/dev/null || true)
  internal_ca_get; issue_node_certificate
  after=$(openssl x509 -in "$SSL_DIR/gitlab-node.crt" -noout -fingerprint -sha256 2>/dev/null || true)
  [[ $before == "$after" ]] && return 0
  "$GITLAB_CTL" restart "$GITLAB_ROLE" || fail "restarting $GITLAB_ROLE after renewing its certificate failed"
  log "restarted $GITLAB_ROLE with its renewed certificate"
}
# schedule_certificate_renewal: Gitaly and Praefect check their certificate weekly (Monday 04:17 UTC).
schedule_certificate_renewal() {
  [[ ${INTERNAL_CA:-} == issue ]] || return 0
  mkdir -p "$CRON_DIR"
  printf '# Written by gitlab-node-boot: renews the node TLS certificate 30 days before it expires.\n17 4 * * 1 root /usr/local/sbin/gitlab-node-boot certificate >>/var/log/gitlab-node-certificate.log 2>&1\n' >"$CRON_DIR/gitlab-node-certificate.new"
  chmod 644 "$CRON_DIR/gitlab-node-certificate.new"; mv "$CRON_DIR/gitlab-node-certificate.new" "$CRON_DIR/gitlab-node-certificate"
}
# internal_ca_trust: waits for the CA certificate (the first Gitaly or Praefect node publishes it).
internal_ca_trust() {
  local end err tmp="$SECRETS_DIR/.internal-ca-cert"; end=$(deadline)
  mkdir -p "$TRUSTED_CERTS_DIR"
  until err=$(aws secretsmanager get-secret-value --secret-id "$SHARED_PREFIX/internal-ca-cert" --query SecretString --output text 2>&1 >"$tmp"); do
    [[ $err == *ResourceNotFoundException* ]] || fail "reading $SHARED_PREFIX/internal-ca-cert: $err"
    (($(date +%s) < end)) || fail "timed out after ${DEPENDENCY_TIMEOUT}s waiting for $SHARED_PREFIX/internal-ca-cert (the first Gitaly or Praefect node publishes it)"
    log "waiting for $SHARED_PREFIX/internal-ca-cert"; sleep "$POLL_SECONDS"
  done
  openssl x509 -in "$tmp" -out "$TRUSTED_CERTS_DIR/$CA_CERT_NAME" 2>/dev/null || { rm -f "$tmp"; fail "$SHARED_PREFIX/internal-ca-cert holds no certificate"; }
  rm -f "$tmp"; chmod 644 "$TRUSTED_CERTS_DIR/$CA_CERT_NAME"
  log "trusting the internal CA"
}

# wait_for LABEL HOST:PORT[,HOST:PORT...]: until any of them accepts TCP connections.
wait_for() {
  local label=$1 end target; end=$(deadline)
  while :; do
    for target in ${2//,/ }; do
      if timeout 5 bash -c "exec 3<>/dev/tcp/${target%:*}/${target##*:}" 2>/dev/null; then log "$label reachable at $target"; return 0; fi
    done
    (($(date +%s) < end)) || fail "timed out after ${DEPENDENCY_TIMEOUT}s waiting for $label ($2)"
    log "waiting for $label ($2)"; sleep "$POLL_SECONDS"
  done
}

wait_for_dependencies() {
  local dep
  for dep in $WAIT_FOR; do wait_for "${dep%%=*}" "${dep#*=}"; done
}

# data_device: the block device of EBS volume $DATA_VOLUME_ID. On Nitro instances EBS volumes are
# NVMe devices whose names (nvme1n1, ...) follow discovery order, not the requested /dev/sdf; their
# serial number is the volume ID without "-", which udev links under /dev/disk/by-id.
data_device() {
  local serial=${DATA_VOLUME_ID//-/} link
  for link in "$DISK_BY_ID/nvme-Amazon_Elastic_Block_Store_$serial" "$DISK_BY_ID/nvme-Amazon_Elastic_Block_Store_${serial}_1"; do
    if [[ -e $link ]]; then readlink -f "$link"; return 0; fi
  done
  return 1
}

# mount_data_volume: formats the data volume only when it holds no filesystem, mounts it by UUID at
# $DATA_MOUNT and records that in fstab (nofail: a lost volume must not stop the boot). Idempotent:
# a reboot or a replaced instance with the same volume finds the filesystem and mounts it again.
mount_data_volume() {
  [[ -n ${DATA_VOLUME_ID:-} ]] || return 0
  local dev uuid end entry; end=$(deadline)
  # The volume is attached after the instance starts: wait for it.
  until dev=$(data_device); do
    (($(date +%s) < end)) || fail "timed out after ${DEPENDENCY_TIMEOUT}s waiting for data volume $DATA_VOLUME_ID to be attached"
    log "waiting for data volume $DATA_VOLUME_ID"; sleep "$POLL_SECONDS"
  done
  # blkid exits 2 when the device carries no signature at all: only then is it new and safe to format.
  local probe=0; blkid -p "$dev" >/dev/null 2>&1 || probe=$?
  if ((probe == 2)); then
    log "formatting new data volume $DATA_VOLUME_ID ($dev)"
    mkfs.ext4 -q -L gitlab-data "$dev" || fail "mkfs.ext4 $dev failed"
  elif ((probe != 0)); then
    fail "cannot probe $dev (blkid exit $probe); not formatting it"
  fi
  uuid=$(blkid -s UUID -o value "$dev") && [[ -n $uuid ]] || fail "no filesystem UUID on $dev"
  entry="UUID=$uuid $DATA_MOUNT ext4 defaults,nofail,x-systemd.device-timeout=5min 0 2"
  if ! grep -qxF "$entry" "$FSTAB" 2>/dev/null; then
    { grep -v "[[:space:]]$DATA_MOUNT[[:space:]]" "$FSTAB" 2>/dev/null || true; echo "$entry"; } >"$FSTAB.new"
    chmod 644 "$FSTAB.new"; mv "$FSTAB.new" "$FSTAB"
  fi
  mkdir -p "$DATA_MOUNT"
  if ! mountpoint -q "$DATA_MOUNT"; then mount "$DATA_MOUNT" || fail "mounting $DATA_MOUNT failed"; fi
  log "data volume $DATA_VOLUME_ID ($dev, UUID $uuid) mounted at $DATA_MOUNT"
}

ensure_tools() {
  command -v apt-get >/dev/null || fail "this boot script supports Debian/Ubuntu images (apt) only"
  if ! command -v aws >/dev/null; then
    snap install aws-cli --classic || fail "the AWS CLI is missing and could not be installed; bake it into the AMI"
  fi
}

install_gitlab() {
  local pkg="gitlab-$GITLAB_EDITION" want="$GITLAB_VERSION-$GITLAB_EDITION.0" have keyring
  have=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || true)
  if [[ $have == "$want" ]]; then log "$pkg $want already installed"; return 0; fi
  export DEBIAN_FRONTEND=noninteractive
  local apt=(apt-get -o DPkg::Lock::Timeout=600 -y)
  "${apt[@]}" update
  "${apt[@]}" install curl ca-certificates gnupg openssh-server perl tzdata
  keyring=/usr/share/keyrings/$pkg-archive-keyring.gpg
  curl -fsSL --retry 5 "https://packages.gitlab.com/gitlab/$pkg/gpgkey" | gpg --batch --yes --dearmor -o "$keyring"
  . /etc/os-release
  echo "deb [signed-by=$keyring] https://packages.gitlab.com/gitlab/$pkg/$ID/ $VERSION_CODENAME main" >"/etc/apt/sources.list.d/$pkg.list"
  "${apt[@]}" update
  # The package must not reconfigure (or migrate) on install or upgrade: this script decides when.
  mkdir -p /etc/gitlab; touch /etc/gitlab/skip-auto-reconfigure
  apt-mark unhold "$pkg" >/dev/null 2>&1 || true
  "${apt[@]}" install "$pkg=$want"
  apt-mark hold "$pkg" >/dev/null
  log "installed $pkg $want (was: ${have:-none})"
}

# reconfigure: retried until the dependency timeout, since peers may still be starting.
reconfigure() {
  local end attempt=1; end=$(deadline)
  until gitlab-ctl reconfigure; do
    (($(date +%s) < end)) || fail "gitlab-ctl reconfigure kept failing for ${DEPENDENCY_TIMEOUT}s (see /var/log/gitlab-node-boot.log)"
    attempt=$((attempt + 1)); log "reconfigure failed; retry $attempt in $((POLL_SECONDS * 2))s"; sleep $((POLL_SECONDS * 2))
  done
}

patroni_leader() {
  local end ip; end=$(deadline)
  while :; do
    for ip in $PATRONI_MEMBERS; do
      if curl -fsS -o /dev/null --max-time 5 "http://$ip:8008/primary"; then echo "$ip"; return 0; fi
    done
    (($(date +%s) < end)) || fail "timed out after ${DEPENDENCY_TIMEOUT}s waiting for a Patroni leader ($PATRONI_MEMBERS)"
    log "waiting for a Patroni leader"; sleep "$POLL_SECONDS"
  done
}

configure() {
  install -m 600 "$NODE_DIR/gitlab.rb" /etc/gitlab/gitlab.rb
  if [[ -n ${PATRONI_MEMBERS:-} ]]; then
    # Seed Rails with Patroni: migrate directly on the leader (not through PgBouncer), then switch back.
    patroni_leader >"$NODE_DIR/db-direct-host"
    reconfigure
    rm -f "$NODE_DIR/db-direct-host"
  fi
  reconfigure
}

# authorized_keys_lookup: sshd asks GitLab's database for a Git user's key (fast lookup), so keys
# added in the UI work on every node that serves SSH without Sidekiq writing authorized_keys.
authorized_keys_lookup() {
  local conf="$SSHD_CONFIG_DIR/60-gitlab-authorized-keys.conf"
  mkdir -p "$SSHD_CONFIG_DIR"
  cat >"$conf.new" <<'CONF'
# Written by gitlab-node-boot: Git over SSH looks keys up in GitLab's database.
Match User git
  AuthorizedKeysCommand /opt/gitlab/embedded/service/gitlab-shell/bin/gitlab-shell-authorized-keys-check git %u %k
  AuthorizedKeysCommandUser git
Match all
CONF
  chmod 644 "$conf.new"; mv "$conf.new" "$conf"
  "$SSHD" -t || { rm -f "$conf"; fail "sshd rejected $conf"; }
  "$SYSTEMCTL" reload ssh 2>/dev/null || "$SYSTEMCTL" reload sshd 2>/dev/null || true
}

# rails_settings: application settings only the database holds, applied once by the seed Rails node
# after its first successful reconfigure (the marker keeps an operator's later change).
#  - incremental logging: job logs go through Redis and object storage, required with several
#    Rails/Sidekiq nodes and no NFS;
#  - authorized_keys file off: keys come from the database (authorized_keys_lookup).
rails_settings() {
  local marker="$STATE_DIR/rails-settings-applied"
  [[ -f $marker ]] && { log "application settings already applied once"; return 0; }
  "$GITLAB_RAILS" runner 'Feature.enable(:ci_enable_live_trace); ApplicationSetting.current.update!(authorized_keys_enabled: false); puts "ok"' \
    || fail "applying application settings (incremental logging, authorized_keys off) failed"
  mkdir -p "$STATE_DIR"; date -u +%FT%TZ >"$marker"
  log "enabled incremental logging and turned off writing authorized_keys"
}

# Objects already live in their versioned buckets: the backup holds the database and repositories.
BACKUP_SKIP=artifacts,lfs,uploads,packages,terraform_state,registry,ci_secure_files,external_diffs,pages

# schedule_backup: GitLab's own backup, daily from the seed Rails node (BACKUP_CRON, crontab form).
schedule_backup() {
  [[ -n ${BACKUP_CRON:-} ]] || return 0
  mkdir -p "$CRON_DIR"
  printf '# Written by gitlab-node-boot: GitLab backup to the backups bucket.\n%s root /usr/local/sbin/gitlab-node-boot backup >>/var/log/gitlab-backup.log 2>&1\n' "$BACKUP_CRON" >"$CRON_DIR/gitlab-backup.new"
  chmod 644 "$CRON_DIR/gitlab-backup.new"; mv "$CRON_DIR/gitlab-backup.new" "$CRON_DIR/gitlab-backup"
}

# backup: the database (dumped on the Patroni leader, never through PgBouncer) and, with Gitaly's
# server-side backups, the repositories, which each Gitaly streams to the backups bucket itself.
# The archive is uploaded to the backups bucket (backup_upload_connection).
backup() {
  local env=(CRON=1 "SKIP=$BACKUP_SKIP")
  [[ ${BACKUP_SERVER_SIDE:-} == 1 ]] && env+=(REPOSITORIES_SERVER_SIDE=true)
  if [[ -n ${PATRONI_MEMBERS:-} ]]; then env+=("GITLAB_BACKUP_PGHOST=$(patroni_leader)" GITLAB_BACKUP_PGPORT=5432); fi
  env "${env[@]}" "$GITLAB_BACKUP" create || fail "gitlab-backup create failed"
  mkdir -p "$STATE_DIR"; date -u +%FT%TZ >"$STATE_DIR/last-backup"
  log "backup done"
}

# restore BACKUP_ID: the documented restore path (docs/gitlab-on-nodes.md), on the seed Rails node
# of an environment deployed with the same version and secrets: stop the writers, fetch the archive
# from the backups bucket, restore, reconfigure and check.
restore() {
  local id=${1:?usage: gitlab-node-boot restore <backup ID, e.g. 1733011200_2026_12_01_19.3.0-ee>}
  [[ -n ${BACKUPS_BUCKET:-} ]] || fail "BACKUPS_BUCKET is not set in node.env: restore runs on the seed Rails node"
  "$GITLAB_CTL" stop puma || true; "$GITLAB_CTL" stop sidekiq || true
  mkdir -p "$BACKUP_DIR"
  aws s3 cp "s3://$BACKUPS_BUCKET/${id}_gitlab_backup.tar" "$BACKUP_DIR/${id}_gitlab_backup.tar" || fail "no backup ${id} in s3://$BACKUPS_BUCKET"
  chown git:git "$BACKUP_DIR/${id}_gitlab_backup.tar" 2>/dev/null || true
  local env=(force=yes "BACKUP=$id" "SKIP=$BACKUP_SKIP")
  [[ ${BACKUP_SERVER_SIDE:-} == 1 ]] && env+=(REPOSITORIES_SERVER_SIDE=true)
  if [[ -n ${PATRONI_MEMBERS:-} ]]; then env+=("GITLAB_BACKUP_PGHOST=$(patroni_leader)" GITLAB_BACKUP_PGPORT=5432); fi
  env "${env[@]}" "$GITLAB_BACKUP" restore || fail "gitlab-backup restore $id failed"
  reconfigure
  "$GITLAB_CTL" restart
  "$GITLAB_RAILS" runner 'puts Gitlab::CurrentSettings.current_application_settings.id' >/dev/null || fail "GitLab does not answer after the restore"
  log "restored $id; run 'sudo gitlab-rake gitlab:check SANITIZE=true' and restart Rails and Sidekiq on the other nodes"
}

post_configure() {
  case $GITLAB_ROLE in
    praefect-postgres)
      # Praefect's user and database, created once; the password is re-applied so rotation works.
      /opt/gitlab/bin/gitlab-psql -d template1 -v ON_ERROR_STOP=1 <<SQL
\set pw \`cat $SECRETS_DIR/praefect-db-password\`
SELECT format('CREATE ROLE praefect WITH LOGIN PASSWORD %L', :'pw') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'praefect') \gexec
SELECT format('ALTER ROLE praefect WITH LOGIN PASSWORD %L', :'pw') \gexec
SELECT 'CREATE DATABASE praefect_production WITH OWNER praefect ENCODING UTF8' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'praefect_production') \gexec
SQL
      ;;
    pgbouncer)
      # Lets Consul's watcher reload PgBouncer when the Patroni leader changes.
      printf '127.0.0.1:*:pgbouncer:pgbouncer:%s\n' "$(cat "$SECRETS_DIR/pgbouncer-password")" >/var/opt/gitlab/consul/.pgpass
      chown gitlab-consul: /var/opt/gitlab/consul/.pgpass; chmod 600 /var/opt/gitlab/consul/.pgpass
      ;;
  esac
  if [[ $GITLAB_ROLE == rails || $GITLAB_ROLE == all-in-one ]]; then authorized_keys_lookup; fi
  if [[ ${RAILS_SETTINGS:-} == 1 ]]; then rails_settings; fi
  schedule_backup
  schedule_certificate_renewal
  local f
  for f in ${SHARED_PUBLISH:-}; do shared_publish "$f"; done
}

main() {
  [[ $(id -u) == 0 ]] || { echo "run as root" >&2; exit 1; }
  # shellcheck source=/dev/null
  . "$NODE_DIR/node.env"
  if [[ -n ${UPGRADE_TO:-} ]]; then GITLAB_VERSION=$UPGRADE_TO; fi
  case ${1:-} in
    certificate)
      export AWS_DEFAULT_REGION=$AWS_REGION AWS_REGION
      exec 9>/run/gitlab-node-boot.lock; flock -w 600 9 || { echo "gitlab-node-boot is running; try later" >&2; exit 1; }
      trap 'on_error $? $LINENO' ERR
      STEP=certificate; certificate; return ;;
    backup | restore)
      export AWS_DEFAULT_REGION=$AWS_REGION AWS_REGION
      exec 8>/run/gitlab-node-backup.lock; flock -n 8 || { echo "a backup or restore is already running" >&2; exit 1; }
      trap 'on_error $? $LINENO' ERR
      STEP=$1; "$@"; return ;;
    "") ;;
    *) echo "usage: gitlab-node-boot [backup | restore <backup ID> | certificate]" >&2; exit 2 ;;
  esac
  export AWS_DEFAULT_REGION=$AWS_REGION AWS_REGION
  exec 9>/run/gitlab-node-boot.lock; flock -n 9 || { echo "gitlab-node-boot is already running" >&2; exit 1; }
  exec > >(tee -a /var/log/gitlab-node-boot.log) 2>&1
  trap 'on_error $? $LINENO' ERR
  STEP=tools; ensure_tools
  report running "boot started"
  STEP=data-volume; mount_data_volume
  STEP=install; install_gitlab
  STEP=secrets; fetch_secrets
  STEP=rds-ca; rds_ca_bundle
  STEP=internal-ca; internal_ca
  STEP=dependencies; wait_for_dependencies
  STEP=database-login; bootstrap_database
  STEP=shared-files; local f; for f in ${SHARED_INSTALL:-}; do wait_shared "$f"; done
  if [[ -n ${SHARED_PUBLISH:-} ]]; then for f in $SHARED_PUBLISH; do shared_fetch "$f" || true; done; fi
  STEP=reconfigure; configure
  STEP=post-configure; post_configure
  # Keep an upgrade: the next run must not go back to the old version.
  sed -i "s/^GITLAB_VERSION=.*/GITLAB_VERSION=$GITLAB_VERSION/" "$NODE_DIR/node.env"
  STEP=done; report ok "GitLab $GITLAB_EDITION $GITLAB_VERSION configured as $GITLAB_ROLE"
  log "done"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then main "$@"; fi
