// Type-aware lint: promises that are never awaited, switches that miss a case, loose equality.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'coverage/', 'bin/', 'web/dist/', 'web/dist.*/', 'e2e/artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  {
    // The web app runs in browsers: their globals (TypeScript checks the names; these are for plain JS).
    files: ['web/**/*.{ts,tsx,js}'],
    languageOptions: {
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'navigator',
          'location',
          'history',
          'localStorage',
          'fetch',
          'console',
          'URL',
          'URLSearchParams',
        ]
          .concat(['FormData', 'File', 'Blob', 'ResizeObserver', 'HTMLElement', 'Element', 'performance'])
          .concat(['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'requestAnimationFrame'])
          .map((name) => [name, 'readonly']),
      ),
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
  },
  {
    files: ['**/*.test.ts', 'test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
