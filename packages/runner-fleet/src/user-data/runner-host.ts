import { TOKEN_PLACEHOLDER } from '../config-toml';
import { sh, writeFile } from './shell';

export interface RunnerHostUserDataProps {
  /** e.g. "devops/mr (manager)", for the log. */
  readonly label: string;
  readonly region: string;
  readonly runnerVersion: string;
  /** config.toml with the token placeholder. */
  readonly configToml: string;
  readonly tokenParameterName: string;
  readonly logGroupName: string;
  /** The ASG this host is in, and the terminating hook that lets it drain. */
  readonly groupName: string;
  readonly drainHookName: string;
  /** systemd's stop timeout: the graceful drain of running jobs plus the providers' shutdown. */
  readonly stopTimeoutSeconds: number;
  /** Instance mode: jobs run here, so install Docker and keep containers away from the instance role. */
  readonly runsJobs: boolean;
  /** Autoscaler mode: install the fleeting plugin named in config.toml. */
  readonly installFleetingPlugin: boolean;
  /**
   * Whether runner-config may swap a new token into the config of a running runner. False for the
   * docker-autoscaler manager: the runner would start a second autoscaler keyed by the new token,
   * which prunes the workers (running jobs included); an instance refresh rotates it instead.
   */
  readonly rotateTokenInPlace: boolean;
}

/**
 * Where `gitlab-runner fleeting install` puts plugins and where the runner looks for them. Set
 * explicitly: the default (~/.config/fleeting/plugins) depends on $HOME, which systemd services and
 * cloud-init do not reliably have, so install and run could disagree.
 */
export const FLEETING_PLUGIN_DIR = '/opt/gitlab-runner/fleeting-plugins';

/**
 * GitLab's package signing key, which also signs the runner's `release.sha256` (fingerprint from
 * GitLab Runner's docs, docs/install/linux-repository.md at v19.3.0). The download is trusted only
 * because its fingerprint matches this one.
 */
export const RUNNER_RELEASE_KEY = {
  fingerprint: '931DA69CFA3AFEBBC97DAA8C6C57C29C6BA75A4E',
  url: 'https://packages.gitlab.com/runner/gitlab-runner/gpgkey/runner-gitlab-runner-49F16C5CC3A0F81F.pub.gpg',
} as const;

/** Exit status of runner-config when it refuses to rotate in place (systemd does not retry it). */
export const REFUSED_ROTATION_STATUS = 3;

const CONFIG_DIR = '/etc/gitlab-runner';
const RUNNER_LOG = '/var/log/gitlab-runner.log';
const BOOT_LOG = '/var/log/runner-bootstrap.log';

/** Reads the token from SSM and writes config.toml; prints nothing secret. Rerun it after a token rotation. */
function tokenScript(p: RunnerHostUserDataProps): string {
  return `#!/bin/bash
# Writes ${CONFIG_DIR}/config.toml from its template and the runner token in SSM.
# Never prints the token and never passes it on a command line.
set -euo pipefail
shopt -u patsub_replacement 2>/dev/null || true
REGION=${sh(p.region)}
PARAMETER=${sh(p.tokenParameterName)}
GROUP=${sh(p.groupName)}
ROTATE_IN_PLACE=${p.rotateTokenInPlace}
CONFIG_DIR=\${RUNNER_CONFIG_DIR:-${CONFIG_DIR}}
TEMPLATE=$CONFIG_DIR/config.template.toml
CONFIG=$CONFIG_DIR/config.toml
token=""
for attempt in $(seq 1 120); do
  if token=$(aws ssm get-parameter --region "$REGION" --name "$PARAMETER" --with-decryption --query Parameter.Value --output text 2>/dev/null) && [[ $token == glrt-* ]]; then
    break
  fi
  token=""
  echo "runner token not readable from $PARAMETER yet (attempt $attempt); is the runner-tokens stack deployed?"
  sleep 30
done
if [[ -z $token ]]; then
  echo "gave up waiting for $PARAMETER" >&2
  exit 1
fi
if [[ -f $CONFIG ]]; then
  current=$(<"$CONFIG")
  if [[ $current == *"token = \\"$token\\""* ]]; then
    unset token current
    echo "$CONFIG already holds the token in $PARAMETER"
    exit 0
  fi
  unset current
  if [[ $ROTATE_IN_PLACE != true ]] && systemctl is-active --quiet gitlab-runner; then
    unset token
    echo "the token in $PARAMETER changed, but this docker-autoscaler manager keeps the old one: swapping it in place would start a second autoscaler that removes the running workers."
    echo "rotate with an instance refresh instead: aws autoscaling start-instance-refresh --region $REGION --auto-scaling-group-name $GROUP"
    exit ${REFUSED_ROTATION_STATUS}
  fi
fi
template=$(<"$TEMPLATE")
umask 077
printf '%s\\n' "\${template//${TOKEN_PLACEHOLDER}/$token}" > "$CONFIG.new"
mv -f "$CONFIG.new" "$CONFIG"
unset token template
echo "wrote $CONFIG from $TEMPLATE and $PARAMETER"
`;
}

/**
 * Installs a GitLab Runner release after checking it: release.sha256 must carry a valid signature
 * of GitLab's key (pinned by fingerprint), and the binary must match its line in that file.
 */
function installRunnerScript(): string {
  return `#!/bin/bash
# install-gitlab-runner VERSION: download, verify (signature, then checksum) and install GitLab Runner.
set -euo pipefail
VERSION=$1
KEY_FINGERPRINT=\${RUNNER_RELEASE_KEY_FINGERPRINT:-${RUNNER_RELEASE_KEY.fingerprint}}
KEY_URL=\${RUNNER_RELEASE_KEY_URL:-${RUNNER_RELEASE_KEY.url}}
BASE=\${RUNNER_DOWNLOAD_BASE:-https://gitlab-runner-downloads.s3.amazonaws.com}/v$VERSION
TARGET=\${RUNNER_INSTALL_PATH:-/usr/local/bin/gitlab-runner}
case "$(uname -m)" in x86_64) ARCH=amd64 ;; aarch64) ARCH=arm64 ;; *) echo "unsupported machine $(uname -m)"; exit 1 ;; esac
work=$(mktemp -d)
trap 'GNUPGHOME="$work/gnupg" gpgconf --kill all 2>/dev/null || true; rm -rf "$work"' EXIT
fetch() { curl -fsSL --retry 5 -o "$work/$1" "$2"; }
fetch gitlab-runner "$BASE/binaries/gitlab-runner-linux-$ARCH"
fetch release.sha256 "$BASE/release.sha256"
fetch release.sha256.asc "$BASE/release.sha256.asc"
fetch key.gpg "$KEY_URL"
export GNUPGHOME="$work/gnupg"
install -d -m 0700 "$GNUPGHOME"
gpg --batch --quiet --import "$work/key.gpg" 2>/dev/null
status=$(gpg --batch --status-fd 1 --verify "$work/release.sha256.asc" "$work/release.sha256" 2>/dev/null) || {
  echo "release.sha256 of v$VERSION: no valid signature"
  exit 1
}
if ! awk -v f="$KEY_FINGERPRINT" '$1 == "[GNUPG:]" && $2 == "VALIDSIG" && ($3 == f || $NF == f) { ok = 1 } END { exit !ok }' <<<"$status"; then
  echo "release.sha256 of v$VERSION is not signed by GitLab's key $KEY_FINGERPRINT"
  exit 1
fi
EXPECTED=$(awk -v f="binaries/gitlab-runner-linux-$ARCH" '$2 == f || $2 == "*" f { print $1 }' "$work/release.sha256")
[[ -n "$EXPECTED" ]] || { echo "no checksum for gitlab-runner-linux-$ARCH in release.sha256"; exit 1; }
echo "$EXPECTED  $work/gitlab-runner" | sha256sum -c --quiet -
install -m 0755 "$work/gitlab-runner" "$TARGET"
echo "installed GitLab Runner v$VERSION (signature by $KEY_FINGERPRINT and checksum verified)"
`;
}

/** Waits until the ASG takes this instance out, stops the runner gracefully and completes the hook. */
function drainScript(p: RunnerHostUserDataProps): string {
  return `#!/bin/bash
# Lets running jobs finish before the Auto Scaling group terminates this instance.
set -uo pipefail
REGION=${sh(p.region)}
GROUP=${sh(p.groupName)}
HOOK=${sh(p.drainHookName)}
DRAIN_SECONDS=${p.stopTimeoutSeconds}
imds() {
  local t
  t=$(curl -sf -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' http://169.254.169.254/latest/api/token) || return 1
  curl -sf -H "X-aws-ec2-metadata-token: $t" "http://169.254.169.254/latest/meta-data/$1"
}
until [[ "$(imds autoscaling/target-lifecycle-state)" == Terminated ]]; do
  sleep 5
done
instance=$(imds instance-id)
echo "leaving $GROUP: stopping the runner gracefully, up to $DRAIN_SECONDS s for running jobs"
# KillSignal=SIGQUIT: the runner takes no new jobs and exits when the running ones are done.
systemctl stop --no-block gitlab-runner
start=$SECONDS
beat=$SECONDS
while [[ "$(systemctl show -p ActiveState --value gitlab-runner)" =~ ^(active|deactivating|reloading)$ ]] && (( SECONDS - start < DRAIN_SECONDS )); do
  sleep 10
  if (( SECONDS - beat >= 300 )); then
    aws autoscaling record-lifecycle-action-heartbeat --region "$REGION" --auto-scaling-group-name "$GROUP" --lifecycle-hook-name "$HOOK" --instance-id "$instance" || true
    beat=$SECONDS
  fi
done
echo "runner stopped after $((SECONDS - start)) s; completing the lifecycle action"
aws autoscaling complete-lifecycle-action --region "$REGION" --auto-scaling-group-name "$GROUP" --lifecycle-hook-name "$HOOK" --instance-id "$instance" --lifecycle-action-result CONTINUE
`;
}

function cloudWatchAgentConfig(p: RunnerHostUserDataProps): string {
  const config = {
    agent: { metrics_collection_interval: 60, run_as_user: 'root' },
    metrics: {
      namespace: 'CWAgent',
      // The ASG dimension is what memory target tracking reads.
      append_dimensions: { AutoScalingGroupName: '${aws:AutoScalingGroupName}', InstanceId: '${aws:InstanceId}' },
      aggregation_dimensions: [['AutoScalingGroupName']],
      metrics_collected: {
        mem: { measurement: ['mem_used_percent'] },
        disk: { measurement: ['used_percent'], resources: ['/'] },
      },
    },
    logs: {
      logs_collected: {
        files: {
          collect_list: [
            { file_path: RUNNER_LOG, log_group_name: p.logGroupName, log_stream_name: '{instance_id}/runner' },
            { file_path: BOOT_LOG, log_group_name: p.logGroupName, log_stream_name: '{instance_id}/bootstrap' },
          ],
        },
      },
    },
  };
  return JSON.stringify(config, null, 2);
}

/** User data of a host that runs the gitlab-runner process: the autoscaler's manager, or an instance-mode runner. */
export function runnerHostUserData(p: RunnerHostUserDataProps): string {
  // gpg comes with Amazon Linux 2023 (gnupg2-minimal: import and verify are all the install needs).
  const packages = ['amazon-cloudwatch-agent'];
  const parts = [
    '#!/bin/bash',
    `# GitLab Runner host ${p.label}: rendered by packages/runner-fleet. Holds no secret: the token is read from SSM at boot.`,
    'set -euo pipefail',
    `exec >>${BOOT_LOG} 2>&1`,
    `echo "bootstrap of ${p.label} started at $(date -Is)"`,
    `RUNNER_VERSION=${sh(p.runnerVersion)}`,
    '',
    `dnf install -y ${packages.join(' ')}`,
    // A pre-built image (the fleet's imageId) already has Docker.
    ...(p.runsJobs ? ['command -v docker >/dev/null || dnf install -y docker'] : []),
    '',
    '# GitLab Runner, pinned, its checksum file verified against GitLab\'s signing key.',
    writeFile('/usr/local/sbin/install-gitlab-runner', installRunnerScript(), '0755'),
    '/usr/local/sbin/install-gitlab-runner "$RUNNER_VERSION"',
    'id gitlab-runner >/dev/null 2>&1 || useradd --system --create-home --shell /sbin/nologin gitlab-runner',
    `gitlab-runner install --user gitlab-runner --working-directory /home/gitlab-runner --config ${CONFIG_DIR}/config.toml`,
    '',
    writeFile(`${CONFIG_DIR}/config.template.toml`, p.configToml, '0600'),
    ...(p.installFleetingPlugin
      ? [
          '# The fleeting plugin, into a fixed folder (no $HOME needed); the template names it, the token is not needed.',
          `install -d -m 0755 ${FLEETING_PLUGIN_DIR}`,
          `env HOME=/root FLEETING_PLUGIN_PATH=${FLEETING_PLUGIN_DIR} gitlab-runner fleeting --config ${CONFIG_DIR}/config.template.toml install`,
        ]
      : []),
    writeFile('/usr/local/sbin/runner-config', tokenScript(p), '0700'),
    writeFile('/usr/local/sbin/runner-drain', drainScript(p), '0700'),
    writeFile(
      '/etc/systemd/system/runner-config.service',
      `[Unit]
Description=Write the GitLab Runner config.toml with the token from SSM
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/local/sbin/runner-config
Restart=on-failure
RestartSec=60
# A refused in-place rotation is final: retrying cannot change the answer.
RestartPreventExitStatus=${REFUSED_ROTATION_STATUS}
TimeoutStartSec=infinity

[Install]
WantedBy=multi-user.target
`,
    ),
    writeFile(
      '/etc/systemd/system/gitlab-runner.service.d/10-fleet.conf',
      `[Unit]
Requires=runner-config.service
After=runner-config.service${p.runsJobs ? ' docker.service' : ''}

[Service]
${
        p.installFleetingPlugin
          ? `# The runner loads the plugin from here; ExecStartPre installs it if the boot-time install failed (a no-op otherwise).
Environment=FLEETING_PLUGIN_PATH=${FLEETING_PLUGIN_DIR}
ExecStartPre=/usr/bin/env HOME=/root /usr/local/bin/gitlab-runner fleeting --config ${CONFIG_DIR}/config.toml install
`
          : ''
      }# A stop is graceful: SIGQUIT makes the runner take no new job and exit once the running ones end,
# with no limit of its own. This timeout is the limit: the drain (job timeout + margin) plus the
# runner's shutdown_timeout for its providers; then systemd sends SIGKILL.
KillSignal=SIGQUIT
TimeoutStopSec=${p.stopTimeoutSeconds}
StandardOutput=append:${RUNNER_LOG}
StandardError=append:${RUNNER_LOG}
`,
    ),
    writeFile(
      '/etc/systemd/system/runner-drain.service',
      `[Unit]
Description=Drain the GitLab Runner when the Auto Scaling group removes this instance
After=gitlab-runner.service

[Service]
ExecStart=/usr/local/sbin/runner-drain
Restart=on-failure
RestartSec=10

[Install]
WantedBy=multi-user.target
`,
    ),
    writeFile('/opt/aws/amazon-cloudwatch-agent/etc/runner-fleet.json', cloudWatchAgentConfig(p)),
    '/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:/opt/aws/amazon-cloudwatch-agent/etc/runner-fleet.json',
  ];
  if (p.runsJobs) {
    parts.push(
      '',
      '# Jobs run in containers here; they must not borrow the runner role from the metadata service.',
      writeFile(
        '/etc/systemd/system/docker.service.d/10-no-imds.conf',
        `[Service]
ExecStartPost=/bin/sh -c 'iptables -C DOCKER-USER -i docker+ -d 169.254.169.254/32 -j REJECT 2>/dev/null || iptables -I DOCKER-USER 1 -i docker+ -d 169.254.169.254/32 -j REJECT'
`,
      ),
      'systemctl daemon-reload',
      'systemctl enable --now docker',
    );
  }
  // --no-block: the runner starts once runner-config has the token, which may come after boot.
  parts.push(
    '',
    'systemctl daemon-reload',
    'systemctl enable runner-config gitlab-runner runner-drain',
    'systemctl start --no-block runner-config gitlab-runner runner-drain',
    `echo "bootstrap of ${p.label} finished at $(date -Is)"`,
    '',
  );
  return parts.join('\n');
}
