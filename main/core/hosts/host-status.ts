// Composes what the UI shows about a host's connection from the connection and the monitor.
import type { HostStatus } from '../../../common/schemas/hosts';
import type { MonitoringCost } from '../remote/remote-monitor';
import type { ConnectionStatus } from '../ssh/connection';

export function hostStatus(
  id: string,
  status: ConnectionStatus,
  cost: MonitoringCost | undefined,
): HostStatus {
  const decision = status.hostKey;
  const showKey = decision && (status.state === 'host_key_unknown' || status.state === 'host_key_mismatch');
  const up = status.state === 'up';
  return {
    id,
    state: status.state,
    message: status.message,
    since: status.since,
    nextRetryAt: status.nextRetryAt ?? null,
    rttMs: up ? (cost?.rttMs ?? null) : null,
    wireBytesPerSec: up ? (cost?.wireBytesPerSec ?? null) : null,
    samplerCpuPercent: up ? (cost?.samplerCpuPercent ?? null) : null,
    sampleIntervalMs: up ? (cost?.intervalMs ?? null) : null,
    hostKey: showKey
      ? {
          keyType: decision.presented.type,
          fingerprint: decision.presented.fingerprint,
          expectedFingerprints: decision.expected.map((e) => e.fingerprint),
        }
      : null,
  };
}

/** A host whose credentials could not be had: it never tries to log in until they are fixed. */
export function credentialProblemStatus(id: string, message: string, since: number): HostStatus {
  return {
    id,
    state: 'auth_failed',
    message,
    since,
    nextRetryAt: null,
    rttMs: null,
    wireBytesPerSec: null,
    samplerCpuPercent: null,
    sampleIntervalMs: null,
    hostKey: null,
  };
}

export function localStatus(since: number, intervalMs: number): HostStatus {
  return {
    id: 'local',
    state: 'local',
    message: 'This computer, read directly from /proc and /sys.',
    since,
    nextRetryAt: null,
    rttMs: null,
    wireBytesPerSec: null,
    samplerCpuPercent: null,
    sampleIntervalMs: intervalMs,
    hostKey: null,
  };
}
