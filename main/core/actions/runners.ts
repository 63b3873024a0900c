// Finds the runner for a host id: this computer, or a saved host over its one SSH connection.
import { ApiError } from '../../../common/errors';
import type { HostsService } from '../hosts/hosts-service';
import { LocalRunner, SshRunner, type HostRunner } from './host-runner';

export interface RunnerSource {
  runnerFor(hostId: string): HostRunner;
}

export class HostRunners implements RunnerSource {
  private readonly local: HostRunner;

  constructor(
    private readonly hosts: Pick<HostsService, 'connectionOf'>,
    private readonly localHostId: string,
    local?: HostRunner,
  ) {
    this.local = local ?? new LocalRunner(localHostId);
  }

  runnerFor(hostId: string): HostRunner {
    if (hostId === this.localHostId) return this.local;
    const { host, connection } = this.hosts.connectionOf(hostId);
    if (!connection) {
      throw new ApiError('unavailable', `${host.name} is not connected: its credentials need attention.`);
    }
    return new SshRunner(hostId, host.name, connection, host.username);
  }
}
