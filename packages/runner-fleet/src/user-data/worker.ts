/**
 * User data of a docker-autoscaler worker: Docker for the manager to drive over SSH (EC2 Instance
 * Connect pushes a one-time key), nothing else. Workers hold no token and no cache rights. On a
 * pre-built image (the fleet's imageId) Docker is already there and this takes seconds; the
 * manager's instance_ready_command waits for it either way.
 */
export function workerUserData(label: string): string {
  return [
    '#!/bin/bash',
    `# docker-autoscaler worker ${label}: rendered by packages/runner-fleet. Holds no secret.`,
    'set -euo pipefail',
    'command -v docker >/dev/null || dnf install -y docker',
    'rpm -q ec2-instance-connect >/dev/null || dnf install -y ec2-instance-connect',
    'systemctl enable --now docker',
    // The manager connects as ec2-user and needs the Docker socket.
    'usermod -aG docker ec2-user',
    '',
  ].join('\n');
}
