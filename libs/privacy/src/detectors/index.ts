import { emailDetector } from './email';
import { ibanDetector } from './iban';
import { ipv4Detector, ipv6Detector } from './ip-address';
import { paymentCardDetector } from './payment-card';
import { phoneDetector } from './phone';
import type { PiiDetector } from './pii-detector';
import { usSsnDetector } from './us-ssn';

export * from './pii-detector';
export { emailDetector } from './email';
export { ibanDetector } from './iban';
export { ipv4Detector, ipv6Detector } from './ip-address';
export { hasCardSchemeShape, paymentCardDetector } from './payment-card';
export { DEFAULT_NATIONAL_REGIONS, phoneDetector, type PhoneDetectorOptions } from './phone';
export { usSsnDetector } from './us-ssn';

/** Every detector, phone numbers checked against the default national numbering plans. */
export const DEFAULT_DETECTORS: readonly PiiDetector[] = [emailDetector, phoneDetector(), usSsnDetector, paymentCardDetector, ipv4Detector, ipv6Detector, ibanDetector];
