import type { DatasetBiasPolicySet, DatasetPrivacyPolicySet } from '@mgov/contracts';
import { assertNever, type CommandMetadata, type Decider, DomainError } from '@mgov/decider';
import { checkedBiasOptions } from '@mgov/bias';
import { DEFAULT_POLICY_K, type GeneralizationRule, validateTreatment } from '@mgov/privacy';
import { BIAS_METRICS, DEFAULT_BIAS_THRESHOLDS } from './bias-verdict';

/** What the privacy gate does to every version of a dataset, and the k it must then reach. */
export interface PrivacyPolicy {
  readonly quasiIdentifiers: readonly string[];
  readonly pseudonymize: readonly string[];
  readonly generalize: Readonly<Record<string, GeneralizationRule>>;
  readonly suppress: readonly string[];
  readonly drop: readonly string[];
  readonly k: number;
}

/** What the bias scan judges: protected attributes against a label, each metric within its threshold. */
export interface BiasPolicy {
  readonly protectedAttributes: readonly string[];
  readonly label: string;
  readonly positive: string;
  readonly thresholds: Readonly<Record<string, number>>;
}

export type DatasetPolicyCommand =
  | { readonly type: 'SetPrivacyPolicy'; readonly datasetName: string; readonly policy: PrivacyPolicy; readonly metadata: CommandMetadata }
  | { readonly type: 'SetBiasPolicy'; readonly datasetName: string; readonly policy: BiasPolicy; readonly metadata: CommandMetadata };

export type DatasetPolicyEvent = DatasetPrivacyPolicySet | DatasetBiasPolicySet;

export interface DatasetPolicyState {
  readonly privacy: { readonly version: number; readonly policy: PrivacyPolicy } | null;
  readonly bias: { readonly version: number; readonly policy: BiasPolicy } | null;
}

/** Every column a policy names, for checking against a version's schema. */
export function declaredColumns(policy: { privacy?: PrivacyPolicy | null; bias?: BiasPolicy | null }): string[] {
  const { privacy, bias } = policy;
  const named = [
    ...(privacy ? [...privacy.quasiIdentifiers, ...privacy.pseudonymize, ...Object.keys(privacy.generalize), ...privacy.suppress, ...privacy.drop] : []),
    ...(bias ? [...bias.protectedAttributes, bias.label] : []),
  ];
  return [...new Set(named)];
}

const invalid = (message: string) => new DomainError('LINEAGE.INVALID_POLICY', message, 400);
const isList = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string' && item !== '');

/** A privacy policy from a request body, defaults filled in (k = 5), or LINEAGE.INVALID_POLICY naming the problem. */
export function checkedPrivacyPolicy(input: Partial<PrivacyPolicy> | undefined): PrivacyPolicy {
  const body = input ?? {};
  const lists = { quasiIdentifiers: body.quasiIdentifiers ?? [], pseudonymize: body.pseudonymize ?? [], suppress: body.suppress ?? [], drop: body.drop ?? [] };
  for (const [name, value] of Object.entries(lists)) if (!isList(value)) throw invalid(`${name} must be a list of column names`);
  const generalize = body.generalize ?? {};
  if (typeof generalize !== 'object' || Array.isArray(generalize)) throw invalid('generalize must map column names to rules, e.g. {"age": {"kind": "bucket", "width": 10}}');
  const k = body.k ?? DEFAULT_POLICY_K;
  if (!Number.isInteger(k) || k < 1) throw invalid('k must be a positive integer');
  const policy: PrivacyPolicy = { ...lists, generalize, k };
  validateTreatment(policy);
  if (new Set(policy.quasiIdentifiers).size !== policy.quasiIdentifiers.length) throw invalid('name each quasi-identifier once');
  const dropped = policy.quasiIdentifiers.filter((column) => policy.drop.includes(column));
  if (dropped.length > 0) throw invalid(`quasi-identifier(s) ${dropped.join(', ')} are also dropped; generalize or suppress them instead`);
  return policy;
}

/** A bias policy from a request body, thresholds defaulting to |dpl| ≤ 0.1, or LINEAGE.INVALID_POLICY. */
export function checkedBiasPolicy(input: Partial<BiasPolicy> | undefined): BiasPolicy {
  const body = input ?? {};
  if (!isList(body.protectedAttributes ?? [])) throw invalid('protectedAttributes must be a list of column names');
  const thresholds = body.thresholds ?? DEFAULT_BIAS_THRESHOLDS;
  for (const [metric, limit] of Object.entries(thresholds)) {
    if (!BIAS_METRICS.includes(metric as never)) throw invalid(`unknown bias metric ${JSON.stringify(metric)}; judge one of ${BIAS_METRICS.join(', ')}`);
    if (typeof limit !== 'number' || !Number.isFinite(limit) || limit < 0) throw invalid(`the ${metric} threshold must be a non-negative number`);
  }
  if (Object.keys(thresholds).length === 0) throw invalid('judge at least one metric, e.g. {"dpl": 0.1}');
  const sorted = Object.fromEntries(Object.entries(thresholds).sort(([a], [b]) => (a < b ? -1 : 1)));
  const policy = { protectedAttributes: body.protectedAttributes ?? [], label: body.label ?? '', positive: body.positive ?? '', thresholds: sorted };
  try {
    checkedBiasOptions({ label: policy.label, positive: policy.positive, protected: policy.protectedAttributes });
  } catch (error) {
    throw invalid((error as Error).message);
  }
  return policy;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The policy as its event records it (rules as a list, absent options as null). */
function privacyPolicyData(datasetName: string, policyVersion: number, policy: PrivacyPolicy): DatasetPrivacyPolicySet['data'] {
  const byColumn = Object.entries(policy.generalize).sort(([a], [b]) => (a < b ? -1 : 1));
  const generalize = byColumn.map(([column, rule]) => ({
    column, kind: rule.kind, width: rule.kind === 'bucket' ? rule.width : null, top: rule.kind === 'bucket' ? (rule.top ?? null) : null,
    to: rule.kind === 'date' ? rule.to : null, keep: rule.kind === 'truncate' ? rule.keep : null, pad: rule.kind === 'truncate' ? (rule.pad ?? null) : null,
  }));
  const { quasiIdentifiers, pseudonymize, suppress, drop, k } = policy;
  return { datasetName, policyVersion, quasiIdentifiers: [...quasiIdentifiers], pseudonymize: [...pseudonymize], generalize, suppress: [...suppress], drop: [...drop], k };
}

function setPrivacy(command: Extract<DatasetPolicyCommand, { type: 'SetPrivacyPolicy' }>, state: DatasetPolicyState): DatasetPolicyEvent[] {
  const data = privacyPolicyData(command.datasetName, (state.privacy?.version ?? 0) + 1, checkedPrivacyPolicy(command.policy));
  // Setting the policy in force again is no change (compared in the form the event records).
  if (state.privacy && sameJson(state.privacy.policy, privacyPolicyOf(data))) return [];
  return [{ type: 'DatasetPrivacyPolicySet', data }];
}

function setBias(command: Extract<DatasetPolicyCommand, { type: 'SetBiasPolicy' }>, state: DatasetPolicyState): DatasetPolicyEvent[] {
  const policy = checkedBiasPolicy(command.policy);
  if (state.bias && sameJson(state.bias.policy, policy)) return [];
  const { protectedAttributes, label, positive, thresholds } = policy;
  return [{ type: 'DatasetBiasPolicySet', data: { datasetName: command.datasetName, policyVersion: (state.bias?.version ?? 0) + 1, protectedAttributes: [...protectedAttributes], label, positive, thresholds: { ...thresholds } } }];
}

function privacyPolicyOf(data: DatasetPrivacyPolicySet['data']): PrivacyPolicy {
  const generalize: Record<string, GeneralizationRule> = {};
  for (const r of data.generalize) {
    const rule = r.kind === 'bucket' ? { kind: 'bucket' as const, width: r.width ?? 0, ...(r.top === null ? {} : { top: r.top }) }
      : r.kind === 'date' ? { kind: 'date' as const, to: r.to as 'year' | 'month' }
        : { kind: 'truncate' as const, keep: r.keep ?? 0, ...(r.pad === null ? {} : { pad: r.pad }) };
    generalize[r.column] = rule;
  }
  return { quasiIdentifiers: data.quasiIdentifiers, pseudonymize: data.pseudonymize, generalize, suppress: data.suppress, drop: data.drop, k: data.k };
}

/** A dataset's privacy and bias policies, on the stream `dataset:<name>`; each change is a new policy version. */
export const datasetPolicyDecider: Decider<DatasetPolicyCommand, DatasetPolicyEvent, DatasetPolicyState> = {
  initialState: () => ({ privacy: null, bias: null }),
  decide: (command, state) => {
    switch (command.type) {
      case 'SetPrivacyPolicy':
        return setPrivacy(command, state);
      case 'SetBiasPolicy':
        return setBias(command, state);
      default:
        return assertNever(command);
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'DatasetPrivacyPolicySet':
        return { ...state, privacy: { version: event.data.policyVersion, policy: privacyPolicyOf(event.data) } };
      case 'DatasetBiasPolicySet': {
        const { protectedAttributes, label, positive, thresholds } = event.data;
        return { ...state, bias: { version: event.data.policyVersion, policy: { protectedAttributes, label, positive, thresholds } } };
      }
      default:
        return assertNever(event);
    }
  },
};
