/** The parts of a rendered Deployment or Service the specs and the pipeline look at. */
export interface K8sObject {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace: string; readonly annotations: Readonly<Record<string, string>> };
  readonly spec: {
    readonly replicas?: number;
    readonly selector: Readonly<Record<string, unknown>> & { readonly matchLabels?: Readonly<Record<string, string>> };
    readonly template: {
      readonly spec: {
        readonly containers: ReadonlyArray<{ readonly image: string; readonly args: readonly string[] }>;
        readonly initContainers: ReadonlyArray<{ readonly image: string; readonly env: ReadonlyArray<{ name: string; value: string }> }>;
      };
    };
  };
}
