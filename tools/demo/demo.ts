import { runGovernanceFlow } from '@mgov/demo-flow';

// `npm run demo`: the walking skeleton against a running MGov (MGOV_URL, default localhost:8080), as admin MGOV_TOKEN.
const url = (process.env.MGOV_URL ?? 'http://localhost:8080').replace(/\/$/, '');
const adminToken = process.env.MGOV_TOKEN?.trim();
if (!adminToken) {
  console.error([
    'MGOV_TOKEN is not set. The demo needs an admin API key to issue the keys of its steward, scientist, reviewer,',
    'auditor and inference service. Use the bootstrap admin key MGov printed at its first start (or the',
    'MGOV_BOOTSTRAP_TOKEN you started it with):',
    '',
    '  MGOV_TOKEN=mgov_<keyId>_<secret> npm run demo',
  ].join('\n'));
  process.exit(2);
}
let n = 0;
runGovernanceFlow({
  urlOf: () => url,
  adminToken,
  windowSize: Number(process.env.MGOV_MONITORING_WINDOW ?? 50),
  onStep: (step, detail) => console.log(`${String(++n).padStart(2)}. ${step}\n    ${JSON.stringify(detail)}`),
}).then(
  (result) => console.log(`\n${result.modelName}:${result.modelVersion} quarantined; audit chain of ${result.chain.events.length} events verifies: ${result.chain.verification.ok}`),
  (error) => {
    const message = (error as Error).message;
    const hint = /AUTH\./.test(message)
      ? 'Is MGOV_TOKEN an admin API key of this MGov (not revoked)?'
      : `Is MGov running at ${url}? Start it with \`npm start\`.`;
    console.error(`demo failed: ${message}\n${hint}`);
    process.exit(1);
  },
);
