process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
// Tests assert on behaviour, not logs: keep the run readable unless asked otherwise.
process.env.MGOV_LOG_LEVEL = process.env.MGOV_LOG_LEVEL ?? 'error';
require('reflect-metadata');
// The privacy gate pseudonymizes with a key from the environment; tests use a fixed one of their own.
process.env.MGOV_PSEUDONYMIZATION_KEY = process.env.MGOV_PSEUDONYMIZATION_KEY ?? 'mgov-test-pseudonymization-key-0123456789abcdef';
