// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'drizzle/', 'data/', 'coverage/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through src/config.ts only.' },
      ],
    },
  },
  {
    // config.ts is the only reader of process.env; tests and tooling set up environments for child processes.
    files: ['src/config.ts', 'test/**', 'drizzle.config.ts', 'vitest.config.ts', 'src/emulator/cli.ts', 'src/playground/main.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
