// Compatibility levels and the Node client library, against the embedded registry and Apicurio.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry'
import { compatibilityLevels, type CompatibilityLevel } from '../../../registry/compatibility.ts'
import { changeTable, record } from '../../unit/registry/change-table.ts'
import { call, conformance, expectAnswer, idOf, type Target } from './conformance-helpers.ts'

const { targets, freshSubject } = conformance()

const text = (schema: object) => ({ schema: JSON.stringify(schema) })

function allowed(row: (typeof changeTable)[number], level: CompatibilityLevel): boolean {
  if (level === 'NONE') return true
  if (level.startsWith('BACKWARD')) return row.backward
  if (level.startsWith('FORWARD')) return row.forward
  return row.full
}

async function isCompatible(
  target: Target,
  subject: string,
  schema: object,
  versions = '/versions/latest',
) {
  const answer = await call(
    target,
    'POST',
    `/compatibility/subjects/${subject}${versions}?verbose=true`,
    text(schema),
  )
  assert.equal(answer.status, 200, `${target.name}: ${JSON.stringify(answer.body)}`)
  return answer.body as { is_compatible: boolean; messages?: string[] }
}

/** Registers v1 and v2 under NONE, then switches the subject to `level`. */
async function subjectWith(
  target: Target,
  level: CompatibilityLevel,
  ...versions: object[]
): Promise<string> {
  const subject = await freshSubject(target, 'NONE')
  for (const version of versions)
    idOf(await call(target, 'POST', `/subjects/${subject}/versions`, text(version)))
  expectAnswer(target, await call(target, 'PUT', `/config/${subject}`, { compatibility: level }), {
    status: 200,
  })
  return subject
}

for (const target of targets) {
  describe(`registry conformance (compatibility): ${target.name}`, () => {
    for (const row of changeTable) {
      it(`${row.change}: the same verdict at every level, and 409 when registering what BACKWARD refuses`, async () => {
        const subject = await subjectWith(target, 'NONE', row.previous)
        for (const level of compatibilityLevels) {
          expectAnswer(
            target,
            await call(target, 'PUT', `/config/${subject}`, { compatibility: level }),
            { status: 200 },
          )
          const verdict = await isCompatible(target, subject, row.next)
          assert.equal(
            verdict.is_compatible,
            allowed(row, level),
            `${target.name} ${level}: ${JSON.stringify(verdict)}`,
          )
        }
        expectAnswer(
          target,
          await call(target, 'PUT', `/config/${subject}`, { compatibility: 'BACKWARD' }),
          { status: 200 },
        )
        const registered = await call(
          target,
          'POST',
          `/subjects/${subject}/versions`,
          text(row.next),
        )
        if (row.backward) idOf(registered)
        else expectAnswer(target, registered, { status: 409, errorCode: 409 })
      })
    }

    it('explains an incompatible verdict when asked to be verbose', async () => {
      const subject = await subjectWith(target, 'BACKWARD', record([{ name: 'id', type: 'int' }]))
      const verdict = await isCompatible(
        target,
        subject,
        record([
          { name: 'id', type: 'int' },
          { name: 'x', type: 'string' },
        ]),
      )
      assert.equal(verdict.is_compatible, false)
      if (target.name === 'embedded')
        assert.match(
          verdict.messages?.[0] ?? '',
          /BACKWARD: the new schema cannot read data written with version 1/,
        )
      // Apicurio ignores verbose=true: it never says why.
      else assert.equal(verdict.messages, undefined)
    })

    it('says a schema is compatible with a subject that has no versions, and 40402 for a missing version', async () => {
      const subject = await freshSubject(target)
      assert.equal((await isCompatible(target, subject, record([]))).is_compatible, true)
      expectAnswer(
        target,
        await call(
          target,
          'POST',
          `/compatibility/subjects/${subject}/versions/3`,
          text(record([])),
        ),
        {
          status: 404,
          errorCode: 40402,
        },
      )
    })

    const transitive = [
      {
        level: 'BACKWARD_TRANSITIVE' as const,
        versions: [record([{ name: 'a', type: 'int' }]), record([])],
        candidate: record([{ name: 'a', type: 'string', default: '' }]),
      },
      {
        level: 'FORWARD_TRANSITIVE' as const,
        versions: [record([{ name: 'a', type: 'string', default: '' }]), record([])],
        candidate: record([{ name: 'a', type: 'int' }]),
      },
      {
        level: 'FULL_TRANSITIVE' as const,
        versions: [record([{ name: 'a', type: 'string', default: '' }]), record([])],
        candidate: record([{ name: 'a', type: 'int', default: 0 }]),
      },
    ]
    for (const { level, versions, candidate } of transitive) {
      it(`${level} checks every version where ${level.replace('_TRANSITIVE', '')} checks the latest only`, async () => {
        const plain = await subjectWith(
          target,
          level.replace('_TRANSITIVE', '') as CompatibilityLevel,
          ...versions,
        )
        idOf(await call(target, 'POST', `/subjects/${plain}/versions`, text(candidate)))
        const subject = await subjectWith(target, level, ...versions)
        assert.equal(
          (await isCompatible(target, subject, candidate, '/versions')).is_compatible,
          false,
        )
        expectAnswer(
          target,
          await call(target, 'POST', `/subjects/${subject}/versions`, text(candidate)),
          { status: 409, errorCode: 409 },
        )
      })
    }

    it('registers, reads and refuses through @kafkajs/confluent-schema-registry', async () => {
      const registry = new SchemaRegistry({ host: target.url }, { [SchemaType.AVRO]: {} })
      const subject = await freshSubject(target)
      const v1 = JSON.stringify(record([{ name: 'id', type: 'int' }]))
      const v2 = JSON.stringify(
        record([
          { name: 'id', type: 'int' },
          { name: 'name', type: 'string', default: '' },
        ]),
      )
      const { id } = await registry.register({ type: SchemaType.AVRO, schema: v1 }, { subject })
      const { id: id2 } = await registry.register(
        { type: SchemaType.AVRO, schema: v2 },
        { subject },
      )
      assert.notEqual(id2, id)
      assert.equal(await registry.getLatestSchemaId(subject), id2)
      assert.equal(
        await registry.getRegistryIdBySchema(subject, { type: SchemaType.AVRO, schema: v1 }),
        id,
      )
      const encoded = await registry.encode(id2, { id: 7, name: 'Ada' })
      assert.equal(encoded.readInt32BE(1), id2)
      assert.deepEqual({ ...(await registry.decode(encoded)) }, { id: 7, name: 'Ada' })
      // The library pinned the subject to BACKWARD at the first registration.
      expectAnswer(target, await call(target, 'GET', `/config/${subject}`), {
        status: 200,
        body: { compatibilityLevel: 'BACKWARD' },
      })
      const incompatible = JSON.stringify(record([{ name: 'id', type: 'string' }]))
      await assert.rejects(
        registry.register({ type: SchemaType.AVRO, schema: incompatible }, { subject }),
        (error: unknown) => {
          assert.equal((error as { status?: number }).status, 409, String(error))
          return true
        },
      )
    })
  })
}
