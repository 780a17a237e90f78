process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
// Tests assert on behaviour, not logs: keep the run readable unless asked otherwise.
process.env.MGOV_LOG_LEVEL = process.env.MGOV_LOG_LEVEL ?? 'error';
require('reflect-metadata');
