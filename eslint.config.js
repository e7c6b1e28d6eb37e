// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

// Each external client is wrapped in one place so that the rest of the code speaks the
// project's own types. Every area gets one rule listing the clients it may not import.
const wrappers = {
  '@platformatic/kafka': 'kafka/',
  // kafkajs is only a second, independent client for tests (a read_committed reference reader).
  kafkajs: 'test/',
  pg: 'connectors/postgres/',
  'pg-logical-replication': 'connectors/postgres/',
  mysql2: 'connectors/mysql/',
  '@kafkajs/confluent-schema-registry': 'registry/client/',
}
const restrictedFor = (/** @type {string | undefined} */ home) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: Object.entries(wrappers)
        .filter(([, where]) => where !== home)
        .map(([name, where]) => ({
          name,
          message: `${name} is wrapped in ${where}; use that wrapper.`,
        })),
    },
  ],
})
const homes = [...new Set(Object.values(wrappers))]

/** @type {import('typescript-eslint').ConfigArray} */
export default tseslint.config(
  {
    ignores: ['node_modules/**', '.services/**', 'scripts/services/*/target/**', 'dist/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's describe/it return promises the runner itself awaits.
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  { files: ['**/*.ts'], rules: restrictedFor(undefined) },
  ...homes.map((home) => ({ files: [`${home}**/*.ts`], rules: restrictedFor(home) })),
  // Tests, benchmarks and service scripts talk to the real servers directly.
  { files: ['test/**', 'bench/**', 'scripts/**'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
)
