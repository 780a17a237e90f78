export * from './scan-report';
export { isDangerousGlobal } from './dangerous-globals';
export { scanPickle, type PickleScan } from './pickle-scanner';
export { scanArtifact } from './artifact-scanner';
export { readDependencyManifest, MANIFEST_NAME, type DependencyManifest } from './dependency-manifest';
