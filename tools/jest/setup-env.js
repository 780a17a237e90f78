process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
require('reflect-metadata');
