import type { MonitoringPolicyChanged } from '@mgov/contracts';
import { assertNever, type CommandMetadata, type Decider, DomainError } from '@mgov/decider';

/** A warn and a breach level; `direction: 'below'` for metrics where smaller is worse (disparate impact). */
export interface Band {
  readonly warn: number;
  readonly breach: number;
}

export type WindowUnit = 'events' | 'ms';

/** How a model version is watched. Set per model (every version) through the policy endpoint; defaults otherwise. */
export interface MonitoringPolicy {
  readonly version: number;
  /** Window length in events or milliseconds of event time. */
  readonly window: { readonly unit: WindowUnit; readonly size: number; readonly slide: number };
  /** Per-feature alert metric and its band (psi, js, wasserstein, ks). */
  readonly dataDrift: { readonly metric: 'psi' | 'js' | 'wasserstein' | 'ks'; readonly band: Band; readonly driftShare: Band };
  /** Relative drop against the registered metrics (0.05 = 5 % worse). */
  readonly performance: { readonly band: Band; readonly minLabelled: number; readonly positiveClass: string };
  /** Absolute gaps (DPD, EOD, equalized odds) or their increase over the baseline; disparate impact below the band. */
  readonly bias: { readonly gap: Band; readonly disparateImpact: Band; readonly minGroupCount: number; readonly positiveClass: string };
}

export const DEFAULT_POLICY: MonitoringPolicy = {
  version: 0,
  window: { unit: 'events', size: 1000, slide: 1000 },
  dataDrift: { metric: 'psi', band: { warn: 0.1, breach: 0.25 }, driftShare: { warn: 0.3, breach: 0.5 } },
  performance: { band: { warn: 0.05, breach: 0.1 }, minLabelled: 100, positiveClass: '1' },
  bias: { gap: { warn: 0.1, breach: 0.2 }, disparateImpact: { warn: 0.8, breach: 0.6 }, minGroupCount: 30, positiveClass: '1' },
};

export type PolicyChange = {
  readonly window?: Partial<MonitoringPolicy['window']>;
  readonly dataDrift?: Partial<MonitoringPolicy['dataDrift']>;
  readonly performance?: Partial<MonitoringPolicy['performance']>;
  readonly bias?: Partial<MonitoringPolicy['bias']>;
};

const invalid = (message: string) => new DomainError('MONITORING.INVALID_POLICY', message, 400);

function rising(name: string, band: Band, max = Number.POSITIVE_INFINITY) {
  if (!(Number.isFinite(band?.warn) && Number.isFinite(band?.breach) && band.warn > 0 && band.warn <= band.breach && band.breach <= max)) {
    throw invalid(`${name}: need 0 < warn <= breach${max < Infinity ? ` <= ${max}` : ''}, got ${JSON.stringify(band)}`);
  }
}

/** The policy with `change` applied, validated; every problem is a MONITORING.INVALID_POLICY naming the field. */
export function applyPolicyChange(current: MonitoringPolicy, change: PolicyChange, version: number): MonitoringPolicy {
  if (typeof change !== 'object' || change === null) throw invalid('send a JSON object with window, dataDrift, performance and/or bias');
  const policy: MonitoringPolicy = {
    version,
    window: { ...current.window, ...change.window },
    dataDrift: { ...current.dataDrift, ...change.dataDrift },
    performance: { ...current.performance, ...change.performance },
    bias: { ...current.bias, ...change.bias },
  };
  const { window, dataDrift, performance, bias } = policy;
  if (!['events', 'ms'].includes(window.unit)) throw invalid(`window.unit: "events" or "ms", got ${JSON.stringify(window.unit)}`);
  if (!Number.isSafeInteger(window.size) || window.size < 1) throw invalid(`window.size: a positive integer, got ${window.size}`);
  if (!Number.isSafeInteger(window.slide) || window.slide < 1 || window.size % window.slide !== 0 || window.size / window.slide > 60) {
    throw invalid(`window.slide: a divisor of window.size with at most 60 slides per window (slide = size: tumbling), got ${window.slide}`);
  }
  if (!['psi', 'js', 'wasserstein', 'ks'].includes(dataDrift.metric)) throw invalid(`dataDrift.metric: psi, js, wasserstein or ks, got ${JSON.stringify(dataDrift.metric)}`);
  rising('dataDrift.band', dataDrift.band);
  rising('dataDrift.driftShare', dataDrift.driftShare, 1);
  rising('performance.band', performance.band, 1);
  rising('bias.gap', bias.gap, 1);
  if (!(bias.disparateImpact?.breach > 0 && bias.disparateImpact.breach <= bias.disparateImpact.warn && bias.disparateImpact.warn < 1)) {
    throw invalid(`bias.disparateImpact: need 0 < breach <= warn < 1 (alerts below), got ${JSON.stringify(bias.disparateImpact)}`);
  }
  for (const [name, value] of [['performance.minLabelled', performance.minLabelled], ['bias.minGroupCount', bias.minGroupCount]] as const) {
    if (!Number.isSafeInteger(value) || value < 1) throw invalid(`${name}: a positive integer, got ${value}`);
  }
  for (const [name, value] of [['performance.positiveClass', performance.positiveClass], ['bias.positiveClass', bias.positiveClass]] as const) {
    if (typeof value !== 'string' || value === '') throw invalid(`${name}: the class label that counts as positive, got ${JSON.stringify(value)}`);
  }
  return policy;
}

export type ChangeMonitoringPolicy = {
  readonly type: 'ChangeMonitoringPolicy';
  readonly modelName: string;
  readonly change: PolicyChange;
  readonly metadata: CommandMetadata;
};

const withoutVersion = ({ version: _version, ...rest }: MonitoringPolicy) => JSON.stringify(rest);

/**
 * A model's monitoring policy as a stream of changes (`monitoring-policy:<model>`): each change is
 * validated against the policy in force and becomes the next version; a change that changes
 * nothing is no event.
 */
export const monitoringPolicyDecider: Decider<ChangeMonitoringPolicy, MonitoringPolicyChanged, MonitoringPolicy> = {
  initialState: () => DEFAULT_POLICY,
  decide: (command, state) => {
    switch (command.type) {
      case 'ChangeMonitoringPolicy': {
        const policy = applyPolicyChange(state, command.change, state.version + 1);
        if (withoutVersion(policy) === withoutVersion(state)) return [];
        return [{
          type: 'MonitoringPolicyChanged',
          data: {
            modelName: command.modelName, policyVersion: policy.version, policy: JSON.stringify(policy), change: JSON.stringify(command.change),
            changedBy: command.metadata.actor.id,
          },
        }];
      }
      default:
        return assertNever(command.type);
    }
  },
  evolve: (_state, event) => JSON.parse(event.data.policy) as MonitoringPolicy,
};
