// Lint: typescript-eslint's recommended rules, plus the architecture rule that dependencies
// point inward: core/ imports nothing from bots/ or adapters/, bots/ imports only core/.
import tseslint from 'typescript-eslint';

const noImportsFrom = (...dirs) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: dirs.map((dir) => ({
        regex: `(^|/)${dir}/`,
        message: `dependencies point inward: this folder must not import from ${dir}/ (see STYLE.md, Boundaries)`,
      })),
    },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'coverage/', 'adapters/webchat/public/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  { files: ['core/**/*.ts'], rules: noImportsFrom('adapters', 'bots', 'test', 'bench') },
  { files: ['bots/**/*.ts'], rules: noImportsFrom('adapters', 'test', 'bench') },
  { files: ['test/**/*.ts', 'bench/**/*.ts', 'adapters/cli/**/*.ts'], rules: { 'no-console': 'off' } },
);
