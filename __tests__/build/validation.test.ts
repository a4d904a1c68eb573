import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { ciValuesFiles, rendersChart, valuesNameProblem } from '../../src/build/validation.js'

describe('ciValuesFiles', () => {
  let chart: string
  beforeAll(async () => {
    chart = await mkdtemp(path.join(os.tmpdir(), 'ci-values-'))
    await mkdir(path.join(chart, 'ci', 'dir-values.yaml'), { recursive: true })
    for (const file of ['b-values.yaml', 'a-values.yaml', 'values.yaml', 'a-values.yml', 'notes.txt'])
      await writeFile(path.join(chart, 'ci', file), '{}\n')
    await symlink('a-values.yaml', path.join(chart, 'ci', 'linked-values.yaml'))
  })
  afterAll(() => rm(chart, { recursive: true, force: true }))

  test('takes ci/*-values.yaml (files and links), by name; not directories or other names', async () => {
    expect(await ciValuesFiles(chart)).toEqual(['ci/a-values.yaml', 'ci/b-values.yaml', 'ci/linked-values.yaml'])
  })

  test.each([
    ['no ci directory', ''],
    ['ci is a file', 'ci']
  ])('none with %s', async (_case, file) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ci-values-'))
    try {
      if (file) await writeFile(path.join(dir, file), '')
      expect(await ciValuesFiles(dir)).toEqual([])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('valuesNameProblem', () => {
  test.each([
    ['ci/prod-values.yaml', false],
    ['ci/-values.yaml', false],
    ['ci/::error::x-values.yaml', false],
    ['ci/a,b-values.yaml', true],
    ['ci/a"b-values.yaml', true],
    ['ci/a\nb-values.yaml', true],
    ['ci/a\rb-values.yaml', true]
  ])('%j: refused %s', (file, refused) => {
    const problem = valuesNameProblem(file)
    expect(problem !== undefined).toBe(refused)
    if (problem) expect(problem).toMatch(/^"ci\/a.*" cannot be given to helm: .* Rename the file\.$/)
  })
})

describe('rendersChart', () => {
  test.each([
    [false, [], '', false],
    [false, ['ci/a-values.yaml'], '', true],
    [false, [], '1.31', true],
    [true, ['ci/a-values.yaml'], '1.31', false]
  ])('library %s, ci files %j, kube-version %j: %s', (library, files, kubeVersion, expected) => {
    expect(rendersChart(library, files, kubeVersion)).toBe(expected)
  })
})
