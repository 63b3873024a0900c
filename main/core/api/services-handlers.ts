// Binds the services part of the contract to the services service.
import type { servicesContract } from '../../../common/contracts/services';
import type { Handlers } from '../../../common/rpc/server';
import type { ServicesService } from '../services/services-service';

export function createServicesHandlers(services: ServicesService): Handlers<typeof servicesContract> {
  return {
    methods: {
      'services.list': ({ host }) => services.list(host),
      'services.details': ({ host, unit }) => services.details(host, unit),
      'services.files': ({ host, unit }) => services.files(host, unit),
      'services.start': ({ host, unit }) => services.act(host, unit, 'start'),
      'services.stop': ({ host, unit }) => services.act(host, unit, 'stop'),
      'services.restart': ({ host, unit }) => services.act(host, unit, 'restart'),
      'services.reload': ({ host, unit }) => services.act(host, unit, 'reload'),
      'services.enable': ({ host, unit, now }) => services.setEnabled(host, unit, true, now),
      'services.disable': ({ host, unit, now }) => services.setEnabled(host, unit, false, now),
      'services.setOverride': ({ host, unit, content, expected, restart }) =>
        services.setOverride(host, unit, content, expected, restart),
      'services.journal': ({ host, ...query }) => services.journal(host, query),
    },
    streams: {
      'services.journal.live': ({ host, ...query }, emit) => services.follow(host, query, emit),
    },
  };
}
