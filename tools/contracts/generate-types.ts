import { writeFileSync } from 'node:fs';
import { GENERATED_TYPES_FILE, latestVersions, loadSchemaCatalog, renderTypeScript } from '@mgov/contracts';

writeFileSync(GENERATED_TYPES_FILE, renderTypeScript([...latestVersions(loadSchemaCatalog()).values()]));
console.log(`wrote ${GENERATED_TYPES_FILE}`);
