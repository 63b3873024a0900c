// What a notification says about one alert event; frozen into the outbox when it happens, so a
// message retried an hour later still tells what happened then.
import type { Comparison, Severity } from '../../../common/schemas/alerts';

export type NoticeKind = 'firing' | 'resolved' | 'flapping' | 'test';

export interface AlertNotice {
  kind: NoticeKind;
  incidentId: number | null;
  ruleId: string;
  ruleName: string;
  severity: Severity;
  host: string;
  hostName: string;
  label: string;
  metric: string;
  value: number;
  /** The value and threshold with their units ("93 %", "1.2 GiB"). */
  valueText: string;
  thresholdText: string;
  comparison: Comparison;
  summary: string;
  /** When it happened (fired, resolved, began flapping). */
  at: number;
  firedAt: number | null;
  flapCount: number;
  /** Where to see it in Hyperion, when a link base is set. */
  link: string | null;
}

export const SEVERITY_WORD: Record<Severity, string> = {
  critical: 'CRITICAL',
  warning: 'WARNING',
  info: 'INFO',
};
