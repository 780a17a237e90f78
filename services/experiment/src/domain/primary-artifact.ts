/** File names that are a trained model rather than a plot or a report. */
const MODEL_FILE = /(^|\/)(model\.[^/]+|[^/]+\.(pkl|pickle|joblib|onnx|pt|pth|h5|keras|safetensors|ubj|cbm|lgb|xgb|bst|tflite|pb|mlmodel))$/i;

/** The tag a run may set to say which artifact is its model (an artifact path). */
export const PRIMARY_ARTIFACT_TAG = 'mgov.primary_artifact';

/**
 * The artifact registry should take as the run's model: the one the run's tag names, else the only
 * file that looks like a model. Null when none or several do: registry then asks the submitter.
 */
export function primaryArtifact(
  artifacts: Readonly<Record<string, { readonly sha256: string }>>, tags: Readonly<Record<string, string>>,
): string | null {
  const named = tags[PRIMARY_ARTIFACT_TAG];
  if (named !== undefined) return artifacts[named] ? named : null;
  const models = Object.keys(artifacts).filter((path) => MODEL_FILE.test(path));
  return models.length === 1 ? models[0] : null;
}
