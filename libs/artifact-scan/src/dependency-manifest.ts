/** A dependency manifest or SBOM logged beside a model, and how many packages it pins. */
export interface DependencyManifest {
  readonly kind: 'requirements' | 'cyclonedx' | 'spdx';
  readonly packages: number;
}

export const MANIFEST_NAME = /(^|\/)(requirements[^/]*\.txt|[^/]*\.cdx\.json|[^/]*bom[^/]*\.json|[^/]*\.spdx\.json|conda\.yaml|python_env\.yaml)$/i;

const REQUIREMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?\s*((==|>=|<=|~=|!=|<|>|===)\s*[^\s;#]+\s*(,\s*(==|>=|<=|~=|!=|<|>)\s*[^\s;#]+\s*)*)?(;.*)?$/;

/** Reads a manifest, or returns a sentence saying why it is not one. */
export function readDependencyManifest(path: string, bytes: Buffer): DependencyManifest | string {
  const text = bytes.toString('utf8');
  if (/\.json$/i.test(path)) {
    let doc: { bomFormat?: string; components?: unknown[]; spdxVersion?: string; packages?: unknown[] };
    try {
      doc = JSON.parse(text) as typeof doc;
    } catch {
      return `${path} is not valid JSON`;
    }
    if (doc.bomFormat === 'CycloneDX' && Array.isArray(doc.components)) return { kind: 'cyclonedx', packages: doc.components.length };
    if (typeof doc.spdxVersion === 'string' && Array.isArray(doc.packages)) return { kind: 'spdx', packages: doc.packages.length };
    return `${path} is neither a CycloneDX BOM (bomFormat, components) nor an SPDX document (spdxVersion, packages)`;
  }
  if (/\.ya?ml$/i.test(path)) {
    const lines = text.split('\n').filter((l) => /^\s*-\s*\S/.test(l));
    return lines.length > 0 ? { kind: 'requirements', packages: lines.length } : `${path} lists no dependency`;
  }
  const lines = text.split(/\r?\n/).map((l) => l.replace(/\s+#.*$/, '').trim()).filter((l) => l && !l.startsWith('#') && !l.startsWith('-'));
  const bad = lines.find((l) => !REQUIREMENT.test(l));
  if (bad) return `${path} has a line that is not a requirement: ${JSON.stringify(bad.slice(0, 80))}`;
  return lines.length > 0 ? { kind: 'requirements', packages: lines.length } : `${path} lists no dependency`;
}
