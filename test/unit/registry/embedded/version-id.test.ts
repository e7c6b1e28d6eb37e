import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { RegistryError } from '../../../../registry/embedded/registry-error.ts'
import { latestVersion, parseVersion } from '../../../../registry/embedded/version-id.ts'

describe('registry/embedded/version-id', () => {
  it('reads "latest" (any case), -1 and 1..2^31-1', () => {
    assert.equal(parseVersion('latest'), latestVersion)
    assert.equal(parseVersion('LATEST'), latestVersion)
    assert.equal(parseVersion('-1'), latestVersion)
    assert.equal(parseVersion('1'), 1)
    assert.equal(parseVersion('2147483647'), 2_147_483_647)
  })

  it("refuses anything else with Confluent's 42202", () => {
    for (const text of ['0', '-2', 'abc', '1.0', '2147483648', '']) {
      assert.throws(
        () => parseVersion(text),
        (error: unknown) =>
          error instanceof RegistryError && error.errorCode === 42202 && error.status === 422,
        text,
      )
    }
  })
})
