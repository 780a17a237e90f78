import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// The layer rule is only worth having if it fails: lint probe sources as if they lived in a
// domain folder and in an app folder, against the real project graph and eslint config.
const root = join(__dirname, '../..');

beforeAll(() => {
  execFileSync(join(root, 'node_modules/.bin/nx'), ['show', 'projects'], {
    cwd: root, env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' }, stdio: 'ignore',
  });
});

async function lintAs(file: string, source: string): Promise<string[]> {
  let output: string;
  try {
    output = execFileSync(join(root, 'node_modules/.bin/eslint'), ['--stdin', '--stdin-filename', file, '--format', 'json'], {
      cwd: root, input: source, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' },
    });
  } catch (error) {
    output = (error as { stdout: string }).stdout; // eslint exits 1 when it finds problems
  }
  const [result] = JSON.parse(output) as Array<{ messages: Array<{ ruleId: string; message: string }> }>;
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layer rules', () => {
  it.each(['@nestjs/common', 'typeorm', 'pg', 'kafkajs'])('fail the lint when domain code imports %s', async (pkg) => {
    const messages = await lintAs('services/registry/src/domain/probe.ts', `import * as x from '${pkg}';\nexport const y = x;\n`);
    expect(messages).toEqual([`@nx/enforce-module-boundaries: A project tagged with "type:domain" is not allowed to import "${pkg}"`]);
  });

  it('fail the lint when domain code imports an infrastructure library', async () => {
    const messages = await lintAs('services/registry/src/domain/probe.ts', "import { CommandExecutor } from '@mgov/service-runtime';\nexport const y = CommandExecutor;\n");
    expect(messages).toEqual([expect.stringContaining('can only depend on libs tagged with')]);
  });

  it('let an application import NestJS', async () => {
    expect(await lintAs('services/registry/src/probe.ts', "import { Controller } from '@nestjs/common';\nexport const y = Controller;\n")).toEqual([]);
  });
});
