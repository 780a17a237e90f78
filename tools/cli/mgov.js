#!/usr/bin/env node
// The `mgov` command: TypeScript runs directly (no build step), with the workspace's path aliases.
require('../register.js');
require('./main.ts');
