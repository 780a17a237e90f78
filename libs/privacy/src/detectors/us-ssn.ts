import { matchesOf, type PiiDetector } from './pii-detector';

// Only the dashed form: a bare nine-digit number is far more often something else. Area 000, 666
// and 900–999, group 00 and serial 0000 are never issued.
const SSN = /(?<![\w.-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-]|\.\d)/g;

export const usSsnDetector: PiiDetector = {
  name: 'us-ssn',
  find: (text) => (text.includes('-') ? matchesOf(text, SSN) : []),
  redact: (match) => `***-**-${match.slice(-4)}`,
};
