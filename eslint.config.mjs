import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/cdktf.out/**', '**/.verify/**', '**/reports/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Provider packages are large: import resources by deep path, never the package root.
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@cdktf/provider-aws', message: 'Import by deep path, e.g. @cdktf/provider-aws/lib/s3-bucket.' },
                  { name: '@cdktf/provider-gitlab', message: 'Import by deep path, e.g. @cdktf/provider-gitlab/lib/project-variable.' }] },
      ],
    },
  },
);
