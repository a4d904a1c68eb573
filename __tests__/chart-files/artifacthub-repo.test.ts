import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { checkArtifactHubRepo, readArtifactHubRepo } from '../../src/chart-files/artifacthub-repo.js'

const FILE = 'chart/artifacthub-repo.yml'
const ID = '7b4f2d4e-1b0a-4c8e-9f5e-2a3b4c5d6e7f'
const SEE =
  'Artifact Hub reads it as its repository metadata (repositoryID, owners, ignore; see ' +
  'https://artifacthub.io/docs/topics/repositories/helm-charts/).'

describe('checkArtifactHubRepo', () => {
  test.each([
    ['every field', `repositoryID: ${ID}\nowners:\n  - name: Sofa\n    email: ops@example.com\nignore:\n  - name: x\n`],
    ['an uppercase UUID', `repositoryID: ${ID.toUpperCase()}\n`],
    ['an owner with an email only', 'owners:\n  - email: ops@example.com\n'],
    ['an ignored version (a regular expression)', 'ignore:\n  - name: llm-proxy\n    version: "^0\\\\."\n'],
    ['empty lists and null fields', 'repositoryID:\nowners: []\nignore: ~\n'],
    ['a key Artifact Hub does not read', `repositoryID: ${ID}\nfuture: true\n`]
  ])('%s is fine', (_name, text) => {
    expect(() => checkArtifactHubRepo(text, FILE)).not.toThrow()
  })

  test.each([
    ['a list', '- a\n', `${FILE} must be a YAML mapping (repositoryID, owners, ignore).`],
    ['an empty file', '', `${FILE} must be a YAML mapping (repositoryID, owners, ignore).`],
    [
      'a repositoryID that is no UUID',
      'repositoryID: my-repo\n',
      `${FILE}: repositoryID is "my-repo", not the UUID Artifact Hub gives a repository. Copy it from the ` +
        `repository's settings in Artifact Hub. ${SEE}`
    ],
    ['a numeric repositoryID', 'repositoryID: 12\n', `${FILE}: repositoryID must be text. ${SEE}`],
    [
      'owners as a mapping',
      'owners:\n  name: x\n',
      `${FILE}: owners must be a list of mappings with name and email. ${SEE}`
    ],
    ['an owner without an email', 'owners:\n  - name: x\n', `${FILE}: owners[0].email is missing. ${SEE}`],
    [
      'an owner as text',
      'owners:\n  - ops@example.com\n',
      `${FILE}: owners[0] must be a mapping with name and email. ${SEE}`
    ],
    ['an ignore entry without a name', 'ignore:\n  - version: beta\n', `${FILE}: ignore[0].name is missing. ${SEE}`],
    ['an ignore entry with an empty name', 'ignore:\n  - name: ""\n', `${FILE}: ignore[0].name is empty. ${SEE}`],
    [
      'a version that is a list',
      'ignore:\n  - name: x\n    version: [1]\n',
      `${FILE}: ignore[0].version must be text. ${SEE}`
    ]
  ])('%s is refused, naming the file and the field', (_name, text, message) => {
    expect(() => checkArtifactHubRepo(text, FILE)).toThrow(message)
  })

  test('YAML that does not parse names the file', () => {
    expect(() => checkArtifactHubRepo('owners: [\n', FILE)).toThrow(`${FILE} is not valid YAML: `)
  })
})

describe('readArtifactHubRepo', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'artifacthub-repo-'))
  })
  afterAll(async () => rm(dir, { recursive: true, force: true }))

  const chartWith = async (name: string, content?: Buffer) => {
    const chart = path.join(dir, name)
    await mkdir(chart)
    if (content) await writeFile(path.join(chart, 'artifacthub-repo.yml'), content)
    return chart
  }

  test('none beside Chart.yaml: undefined', async () => {
    expect(await readArtifactHubRepo(await chartWith('none'))).toBeUndefined()
  })

  test('the bytes are the file’s, byte-order mark and CRLF included', async () => {
    const bytes = Buffer.from(`\uFEFFrepositoryID: ${ID}\r\nowners: []\r\n`)
    const chart = await chartWith('bom', bytes)
    expect(await readArtifactHubRepo(chart)).toEqual({ file: path.join(chart, 'artifacthub-repo.yml'), bytes })
  })

  test.each([
    ['not UTF-8', Buffer.from([0x6f, 0x77, 0x6e, 0x65, 0x72, 0x73, 0x3a, 0xff]), 'is not UTF-8: byte 0xff at offset 7'],
    ['larger than helm loads', Buffer.alloc(5 * 1024 * 1024 + 1, 0x20), 'more than the 5242880 (5 MiB)'],
    ['not a mapping', Buffer.from('just text\n'), 'must be a YAML mapping (repositoryID, owners, ignore).']
  ])('a file that is %s is refused, naming it', async (name, content, message) => {
    const chart = await chartWith(name.replaceAll(' ', '-'), content)
    const error = await readArtifactHubRepo(chart).catch((error: unknown) => error)
    expect((error as Error).message).toContain(path.join(chart, 'artifacthub-repo.yml'))
    expect((error as Error).message).toContain(message)
  })
})
