import { MANIFEST_NAME, readDependencyManifest, scanArtifact } from '@mgov/artifact-scan';
import { DomainError } from '@mgov/decider';
import { type ObjectStore, ObjectTamperedError } from '@mgov/object-store';
import type { RunFacts, SecurityEvidence, SecurityPolicy } from '@mgov/registry-domain';
import { parse } from 'yaml';

const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

async function readAll(store: ObjectStore, sha256: string, maxBytes: number): Promise<Buffer> {
  const { bytes, stream } = await store.read(sha256);
  if (bytes > maxBytes) {
    stream.destroy();
    throw new DomainError('REGISTRY.ARTIFACT_TOO_LARGE', `the artifact is ${bytes} bytes, over the policy's ${maxBytes}`, 413);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * What the security gate judges, read from the object store (every read verifies the sha256): the
 * artifact's scan and the dependency manifest / SBOM logged on the same run. Nothing is executed.
 */
export async function securityEvidence(store: ObjectStore, policy: SecurityPolicy, run: RunFacts, artifactSha256: string): Promise<SecurityEvidence> {
  const artifact = run.artifacts.find((a) => a.sha256 === artifactSha256) ?? { path: '', sha256: artifactSha256, size: 0 };
  let scan: SecurityEvidence['scan'] = null;
  let unreadable: string | undefined;
  try {
    const bytes = await readAll(store, artifactSha256, policy.maxArtifactBytes);
    scan = scanArtifact(bytes, artifact.path, { maxUncompressedBytes: Math.max(policy.maxArtifactBytes * 4, 64 * 1024 * 1024), maxCompressionRatio: 200, deniedGlobals: policy.deniedGlobals });
  } catch (error) {
    if (error instanceof ObjectTamperedError) unreadable = `the stored bytes no longer match sha256:${artifactSha256} (now ${error.actualSha256}): tampered`;
    else if (error instanceof DomainError) unreadable = error.message;
    else throw error;
  }
  const manifestArtifact = run.artifacts.find((a) => a.sha256 !== artifactSha256 && MANIFEST_NAME.test(a.path));
  let manifest: SecurityEvidence['manifest'] = null;
  if (manifestArtifact) {
    try {
      manifest = { path: manifestArtifact.path, read: readDependencyManifest(manifestArtifact.path, await readAll(store, manifestArtifact.sha256, MAX_MANIFEST_BYTES)) };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      manifest = { path: manifestArtifact.path, read: `${manifestArtifact.path} cannot be read: ${error.message}` };
    }
  }
  return { artifact, scan, ...(unreadable ? { unreadable } : {}), manifest };
}

/** The signature an MLflow `MLmodel` file beside the model declares (as JSON), or '' when there is none to read. */
export async function mlmodelSignature(store: ObjectStore, run: RunFacts, artifactSha256: string): Promise<string> {
  const artifact = run.artifacts.find((a) => a.sha256 === artifactSha256);
  if (!artifact) return '';
  const dir = artifact.path.includes('/') ? artifact.path.slice(0, artifact.path.lastIndexOf('/') + 1) : '';
  const mlmodel = run.artifacts.find((a) => a.path === `${dir}MLmodel`);
  if (!mlmodel) return '';
  try {
    const parsed = parse((await readAll(store, mlmodel.sha256, MAX_MANIFEST_BYTES)).toString('utf8'), { maxAliasCount: 10 }) as { signature?: unknown } | null;
    return parsed?.signature ? JSON.stringify(parsed.signature) : '';
  } catch (error) {
    if (error instanceof DomainError || error instanceof SyntaxError || (error as Error).name === 'YAMLParseError') return '';
    throw error;
  }
}
