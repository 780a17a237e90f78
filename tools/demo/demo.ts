import { runGovernanceFlow } from '@mgov/demo-flow';

// `npm run demo`: the walking skeleton against a running MGov (MGOV_URL, default localhost:8080).
const url = (process.env.MGOV_URL ?? 'http://localhost:8080').replace(/\/$/, '');
let n = 0;
runGovernanceFlow({
  urlOf: () => url,
  windowSize: Number(process.env.MGOV_MONITORING_WINDOW ?? 50),
  onStep: (step, detail) => console.log(`${String(++n).padStart(2)}. ${step}\n    ${JSON.stringify(detail)}`),
}).then(
  (result) => console.log(`\n${result.modelName}:${result.modelVersion} quarantined; audit chain of ${result.chain.events.length} events verifies: ${result.chain.verification.ok}`),
  (error) => {
    console.error(`demo failed: ${(error as Error).message}\nIs MGov running at ${url}? Start it with \`npm start\`.`);
    process.exit(1);
  },
);
