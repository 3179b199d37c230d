// ESLint flat config: typescript-eslint's recommended rules for all TypeScript, plus the few type-aware rules
// that catch real bugs in async provider code (a promise nobody awaits, a promise where a boolean or a callback's
// void is expected). Those need the type checker, which costs one program build per run (a few seconds), so only
// these are on; the full `recommendedTypeChecked` set is not. Formatting is Prettier's business (.prettierrc.json),
// not ESLint's.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'examples/**/node_modules/**',
      'scripts/pulumi-cli/**',
      'test/conformance/python/.venv/**',
      'test/conformance/java/target/**',
      'sdk/**',
      '.langs/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_`-prefixed names are deliberately unused (a parameter an interface requires, a destructured field left out).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // The control-character classes of the input checks and the emulator's validations are the point of those regexes.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { project: ['./tsconfig.test.json', './examples/*/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // Plain CommonJS scripts (bench, scripts, examples, jest.config.js): `require` is how they load modules.
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
