// Lint rules, including the import zones of DESIGN.md: what each layer may import.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const electronBan = {
  name: 'electron',
  message: 'Only main/electron/ and preload/ may import electron: pass capabilities in through a port.',
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.electron-native/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "Property[key.name='shell'][value.value=true]",
          message: 'Never run a shell: pass an argument array.',
        },
      ],
    },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // common/: the contract depends on zod and nothing else.
  {
    files: ['common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod$|\\.{1,2}/).*',
              message: 'common/ may import only zod and other common/ files.',
            },
            {
              group: ['**/main/**', '**/renderer/**', '**/preload/**'],
              message: 'The contract depends on nothing.',
            },
          ],
        },
      ],
    },
  },
  // main/core and main/server: Node and libraries, never Electron, never the UI.
  {
    files: ['main/core/**/*.ts', 'main/server/**/*.ts', 'main/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan],
          patterns: [
            { group: ['**/renderer/**', '**/preload/**'], message: 'The core never imports the UI.' },
            { group: ['**/electron/**'], message: 'The core never imports the Electron shell.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan],
          patterns: [
            { group: ['**/renderer/**', '**/preload/**'], message: 'The core never imports the UI.' },
            {
              group: ['**/electron/**', '**/server/**', '**/cli/**'],
              message: 'The core is imported by the shells, not the reverse.',
            },
          ],
        },
      ],
    },
  },
  // renderer/: browser code and common/ only.
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan],
          patterns: [
            {
              group: ['**/main/**', '**/preload/**'],
              message: 'The renderer reaches the core only through the API contract.',
            },
            {
              group: ['node:*', 'fs', 'path', 'child_process', 'os'],
              message: 'The renderer has no Node access.',
            },
          ],
        },
      ],
    },
  },
  // preload/: electron's renderer side and common/ only.
  {
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/main/**', '**/renderer/**'], message: 'The preload sees only common/.' }],
        },
      ],
    },
  },
  {
    files: ['test/**/*.{ts,tsx}', 'bench/**/*.{ts,mjs}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
