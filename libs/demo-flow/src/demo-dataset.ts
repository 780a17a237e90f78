/** The walking skeleton's loan data: personal data the privacy gate must treat, and a label the bias scan judges. */
export interface DemoDataset {
  readonly csv: string;
  readonly privacyPolicy: object;
  readonly biasPolicy: object;
}

const ZIPS = ['02139', '02140', '94105', '94110', '10001', '10002', '60601', '60602'];

/**
 * 400 customers. Direct identifiers (customer id, e-mail) are pseudonymized or dropped; the
 * quasi-identifiers zip and sex, zip cut to three digits, leave 8 classes of 50 (k = 50 ≥ 5). Whether
 * a loan was repaid does not depend on sex (every fifth is not, in both groups), so dpl = 0.
 */
export function demoDataset(normal: (mean: number, sd: number) => number): DemoDataset {
  const header = 'customer_id,email,zip,sex,region,income,age,repaid';
  const rows = Array.from({ length: 400 }, (_, i) => [
    `C${10_000 + i}`, `customer${i}@example.com`, ZIPS[i % 8], i % 2 === 0 ? 'f' : 'm', ['north', 'south', 'east'][i % 3],
    Math.round(normal(50, 10) * 100) / 100, Math.round(normal(40, 8)), i % 5 === 0 ? 'no' : 'yes',
  ].join(','));
  return {
    csv: `${header}\n${rows.join('\n')}\n`,
    privacyPolicy: {
      quasiIdentifiers: ['zip', 'sex'], pseudonymize: ['customer_id'], generalize: { zip: { kind: 'truncate', keep: 3, pad: true } }, drop: ['email'], k: 5,
    },
    biasPolicy: { protectedAttributes: ['sex'], label: 'repaid', positive: 'yes', thresholds: { dpl: 0.1 } },
  };
}
