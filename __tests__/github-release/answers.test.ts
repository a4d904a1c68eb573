import { describe, expect, test } from '@jest/globals'
import { answerProblem } from '../../src/github-release/answers.js'

const asset = { id: 7, name: 'c-1.0.0.tgz', size: 10, digest: null }
const release = {
  id: 1,
  tag_name: 'v1.0.0',
  draft: false,
  html_url: 'https://github.com/o/r/releases/tag/v1.0.0',
  upload_url: 'https://uploads.github.com/repos/o/r/releases/1/assets{?name,label}',
  name: null,
  body: 'Notes.',
  assets: [asset]
}
const BY_TAG = ['GET', '/repos/{owner}/{repo}/releases/tags/{tag}'] as const

describe('answerProblem', () => {
  test.each([
    ['a release by tag', ...BY_TAG, release],
    ['one without immutable and body, as older GitHub Enterprise answers', ...BY_TAG, { ...release, body: undefined }],
    ['a page of the list, by its full address', 'GET', 'https://x/repos/o/r/releases?per_page=100&page=2', [release]],
    ['the generated notes', 'POST', '/repos/{owner}/{repo}/releases/generate-notes', { name: 'v1', body: '' }],
    ['an uploaded asset', 'POST', release.upload_url, asset],
    ['an answer the step does not read', 'DELETE', '/repos/{owner}/{repo}/releases/assets/{asset_id}', '']
  ])('%s: fine', (_case, method, url, data) => {
    expect(answerProblem(method, url, data)).toBeUndefined()
  })

  test.each([
    ['JSON cut short, which octokit hands on as text', ...BY_TAG, '{"id":1,"tag_', 'the release is text, not JSON'],
    ['no object', ...BY_TAG, [release], 'the release is no JSON object'],
    ['a field of another type', ...BY_TAG, { ...release, id: '1' }, 'id of the release is not a number'],
    ['no assets', ...BY_TAG, { ...release, assets: undefined }, 'assets of the release is no list'],
    [
      'an asset without a size',
      ...BY_TAG,
      { ...release, assets: [{ ...asset, size: undefined }] },
      'size of an asset is not a number'
    ],
    [
      'a list that is none',
      'GET',
      '/repos/{owner}/{repo}/releases',
      { releases: [] },
      'the list of releases is no list'
    ],
    [
      'notes without a body',
      'POST',
      '/repos/{owner}/{repo}/releases/generate-notes',
      {},
      'body of the generated notes is not text'
    ]
  ])('%s', (_case, method, url, data, problem) => {
    expect(answerProblem(method, url, data)).toBe(problem)
  })
})
