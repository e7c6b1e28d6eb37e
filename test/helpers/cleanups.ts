import type { TestContext } from 'node:test'

/**
 * Clean-up steps of one test, run after it (passed or failed) in reverse order of
 * registration, like `defer`: what was made last goes first (a database before the
 * server it lives on). Every step runs even if an earlier one failed; the first failure is
 * rethrown.
 */
export function cleanups(t: TestContext): (step: () => unknown) => void {
  const steps: (() => unknown)[] = []
  t.after(async () => {
    let failure: { error: unknown } | undefined
    for (const step of steps.reverse()) {
      try {
        await step()
      } catch (error) {
        failure ??= { error }
      }
    }
    if (failure !== undefined) throw failure.error
  })
  return (step) => {
    steps.push(step)
  }
}
