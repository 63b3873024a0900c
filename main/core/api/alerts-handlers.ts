// Binds the alerts part of the contract to the alerting service, channels and outbox.
import type { alertsContract } from '../../../common/contracts/alerts';
import type { Channel } from '../../../common/schemas/alert-channels';
import type { Handlers } from '../../../common/rpc/server';
import type { Alerts } from '../alerts/create-alerts';
import { backtestRule } from '../alerts/backtest';
import { assertUsable, validateRule, type RuleContext } from '../alerts/rule-validation';
import type { ChannelRecord } from '../notify/channels';
import type { AlertNotice } from '../notify/notice';
import { removeChannelFromRules } from '../alerts/rules-repo';
import type { Db } from '../store/database';

export function createAlertsHandlers(alerts: Alerts, db: Db): Handlers<typeof alertsContract> {
  const { service, channels, outbox } = alerts;
  const context = (): RuleContext => ({
    hosts: service.hosts(),
    channelIds: new Set(channels.list().map((c) => c.id)),
    latest: (id) => alerts.hub.latest(id),
  });
  const withStatus = (c: ChannelRecord): Channel => ({ ...c, status: outbox.status(c.id) });

  return {
    methods: {
      'alerts.rules.list': () => service.listRules(),
      'alerts.rules.validate': ({ rule }) => validateRule(rule, context()),
      'alerts.rules.create': (rule) => {
        assertUsable(rule, context());
        return service.createRule(rule);
      },
      'alerts.rules.update': ({ id, rule }) => {
        assertUsable(rule, context(), 'rule.');
        return service.updateRule(id, rule);
      },
      'alerts.rules.remove': ({ id }) => {
        service.removeRule(id);
        return { removed: true as const };
      },
      'alerts.rules.reset': ({ id }) => service.resetRule(id),
      'alerts.rules.backtest': ({ rule, days, focus }) =>
        backtestRule(rule, days, focus, {
          query: (r) => alerts.history.query(r),
          hosts: service.hosts(),
          now: Date.now(),
          flapWindowMs: service.getSettings().flapWindowMin * 60_000,
        }),
      'alerts.active': () => service.active(),
      'alerts.history': (query) => service.history(query),
      'alerts.incident': ({ id }) => service.incident(id),
      'alerts.acknowledge': ({ id, note }, { caller }) => service.acknowledge(id, caller.id, note),
      'alerts.unacknowledge': ({ id }, { caller }) => service.unacknowledge(id, caller.id),
      'alerts.export': ({ format, ...filter }) => service.export(filter, format),
      'alerts.silences.list': ({ includeEnded }) => service.listSilences(includeEnded),
      'alerts.silences.create': (input, { caller }) => service.createSilence(input, caller.id),
      'alerts.silences.end': ({ id }) => service.endSilence(id),
      'alerts.channels.list': () => channels.list().map(withStatus),
      'alerts.channels.create': async (input) => {
        const created = await channels.create(input);
        return withStatus(created);
      },
      'alerts.channels.update': async ({ id, channel }) => {
        const updated = await channels.update(id, channel);
        outbox.channelChanged(id);
        return withStatus(updated);
      },
      'alerts.channels.remove': async ({ id }) => {
        await channels.remove(id);
        removeChannelFromRules(db, id, Date.now());
        service.onChannelsChanged();
        return { removed: true as const };
      },
      'alerts.channels.test': async ({ id }) => {
        const channel = channels.require(id);
        const started = performance.now();
        const outcome = await outbox.sendNow(channel, [testNotice(service.linkBase())], `test-${Date.now()}`);
        const durationMs = Math.round(performance.now() - started);
        if (outcome.ok) {
          return {
            ok: true,
            message: deliveredSentence(channel, outcome.detail),
            detail: outcome.detail,
            durationMs,
          };
        }
        return { ok: false, message: outcome.error, detail: outcome.detail, durationMs };
      },
      'alerts.outbox.list': ({ channelId, limit }) => outbox.list(channelId, limit),
      'alerts.outbox.retry': ({ channelId }) => {
        channels.require(channelId);
        return { retried: outbox.retry(channelId) };
      },
      'alerts.settings': () => service.getSettings(),
      'alerts.setSettings': (value) => service.setSettings(value),
    },
    streams: {
      'alerts.changed': ({ desktopNotifications }, emit) => service.watch(emit, desktopNotifications),
    },
  };
}

function deliveredSentence(channel: ChannelRecord, detail: string): string {
  switch (channel.kind) {
    case 'slack':
      return `Slack accepted the test message (${detail}).`;
    case 'webhook':
      return `The webhook accepted the test message (${detail}).`;
    case 'email':
      return `The mail server accepted the test mail for ${channel.email?.to.join(', ')} (${detail}).`;
    case 'desktop':
      return detail;
  }
}

function testNotice(linkBase: string): AlertNotice {
  const now = Date.now();
  return {
    kind: 'test',
    incidentId: null,
    ruleId: 'test',
    ruleName: 'Test notification',
    severity: 'info',
    host: 'local',
    hostName: 'Hyperion',
    label: '',
    metric: 'cpu.usage',
    value: 0,
    valueText: '–',
    thresholdText: '–',
    comparison: '>=',
    summary: 'If you can read this, alerts from Hyperion reach this channel.',
    at: now,
    firedAt: null,
    flapCount: 0,
    link: linkBase ? `${linkBase}/#/alerts` : null,
  };
}
