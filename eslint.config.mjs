// Layer rules: domain code stays free of frameworks, enforced through Nx project tags.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const frameworkImports = ['@nestjs/*', 'typeorm', 'typeorm-*', 'pg', 'pg-*', 'kafkajs', '@electric-sql/*'];

export default [
  { ignores: ['node_modules/**', 'dist/**', '.mgov/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          banTransitiveDependencies: false,
          depConstraints: [
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:test'], bannedExternalImports: frameworkImports },
            { sourceTag: 'type:contract', onlyDependOnLibsWithTags: ['type:contract'], bannedExternalImports: frameworkImports },
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:infra', 'type:domain', 'type:contract'], bannedExternalImports: ['@nestjs/*'] },
            { sourceTag: 'type:edge', onlyDependOnLibsWithTags: ['type:edge', 'type:infra', 'type:domain', 'type:contract'] },
            { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:edge', 'type:infra', 'type:domain', 'type:contract', 'type:test'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:app', 'type:service', 'type:edge', 'type:infra', 'type:domain', 'type:contract', 'type:test'] },
            { sourceTag: 'type:test', onlyDependOnLibsWithTags: ['type:test', 'type:domain', 'type:contract'], bannedExternalImports: frameworkImports },
          ],
        },
      ],
    },
  },
];
