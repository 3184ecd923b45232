// ESLint flat config. The pure folders (go/, hash/, sumdb/ note+tlog, check/, report/)
// may not import I/O modules: I/O enters only through the adapters (see ARCHITECTURE.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ioModules = [
  'node:fs',
  'node:fs/promises',
  'node:child_process',
  'node:net',
  'node:http',
  'node:https',
  'undici',
  'execa',
  '@actions/core',
  '@actions/github',
  '@actions/cache',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/testdata/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: [
      'src/go/**',
      'src/hash/**',
      'src/check/**',
      'src/report/**',
      'src/sumdb/note.ts',
      'src/sumdb/tlog*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioModules.map((name) => ({
            name,
            message: 'pure core: take values in, return values; I/O belongs in an adapter',
          })),
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
  },
  {
    files: ['test/**', 'bench/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
