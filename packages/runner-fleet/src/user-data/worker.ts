/**
 * User data of a docker-autoscaler worker: Docker for the manager to drive over SSH (EC2 Instance
 * Connect pushes a one-time key), nothing else. Workers hold no token and no cache rights.
 */
export function workerUserData(label: string): string {
  return [
    '#!/bin/bash',
    `# docker-autoscaler worker ${label}: rendered by packages/runner-fleet. Holds no secret.`,
    'set -euo pipefail',
    'dnf install -y docker ec2-instance-connect',
    'systemctl enable --now docker',
    // The manager connects as ec2-user and needs the Docker socket.
    'usermod -aG docker ec2-user',
    '',
  ].join('\n');
}
