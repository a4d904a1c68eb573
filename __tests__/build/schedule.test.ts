import { describe, expect, test } from '@jest/globals'
import { levels, limiter, scheduleLevels, settleAll } from '../../src/build/schedule.js'

const tick = () => new Promise(resolve => setImmediate(resolve))

describe('levels', () => {
  test.each([
    ['no dependencies: one level', ['a', 'b', 'c'], {}, [['a', 'b', 'c']]],
    [
      'a chain',
      ['common', 'api', 'gateway'],
      { api: ['common'], gateway: ['api'] },
      [['common'], ['api'], ['gateway']]
    ],
    [
      'a name goes after its deepest dependency',
      ['common', 'api', 'worker', 'docs', 'gateway'],
      { api: ['common'], worker: ['common'], gateway: ['api', 'docs'] },
      [['common', 'docs'], ['api', 'worker'], ['gateway']]
    ],
    // `only: api` releases common too, but builds api alone.
    ['a dependency the run does not build', ['api'], { api: ['common'] }, [['api']]]
  ])('%s', (_, order, edges, expected) => {
    expect(levels(order, new Map(Object.entries(edges)))).toEqual(expected)
  })
})

describe('scheduleLevels', () => {
  test('runs a lane only after the names it depends on, never more than the limit at once', async () => {
    const started: string[][] = []
    let running = 0
    let peak = 0
    const results = await scheduleLevels(
      ['common', 'api', 'worker', 'jobs', 'docs'],
      new Map([
        ['api', ['common']],
        ['worker', ['common']],
        ['jobs', ['common']]
      ]),
      2,
      async lane => {
        started.push(lane)
        peak = Math.max(peak, ++running)
        await tick()
        running--
        return lane.map(name => ({ status: 'fulfilled' as const, value: name.toUpperCase() }))
      }
    )
    expect(started).toEqual([['common'], ['docs'], ['api', 'worker'], ['jobs']])
    expect(peak).toBe(2)
    expect(results.get('worker')).toEqual({ status: 'done', value: 'WORKER' })
    expect([...results.keys()]).toEqual(['common', 'api', 'worker', 'jobs', 'docs'])
  })

  test('a failure skips its dependents and lets the others finish', async () => {
    const results = await scheduleLevels(
      ['common', 'docs', 'api', 'gateway'],
      new Map([
        ['api', ['common']],
        ['gateway', ['api', 'docs']]
      ]),
      1,
      async lane =>
        lane.map(name =>
          name === 'common'
            ? { status: 'rejected' as const, reason: new Error('lint failed') }
            : { status: 'fulfilled' as const, value: name }
        )
    )
    expect(results.get('common')).toEqual({ status: 'failed', error: new Error('lint failed') })
    expect(results.get('api')).toEqual({ status: 'skipped', reason: 'common did not build' })
    expect(results.get('gateway')).toEqual({ status: 'skipped', reason: 'api did not build' })
    expect(results.get('docs')).toEqual({ status: 'done', value: 'docs' })
  })

  test('work that throws fails every name of its lane', async () => {
    const results = await scheduleLevels(['a', 'b', 'c'], new Map(), 2, async lane => {
      if (lane.includes('a')) throw new Error('no helm')
      return lane.map(name => ({ status: 'fulfilled' as const, value: name }))
    })
    expect(results).toEqual(
      new Map([
        ['a', { status: 'failed', error: new Error('no helm') }],
        ['b', { status: 'failed', error: new Error('no helm') }],
        ['c', { status: 'done', value: 'c' }]
      ])
    )
  })
})

describe('limiter', () => {
  test('queues work past the limit in arrival order', async () => {
    const slot = limiter(1)
    const order: number[] = []
    await Promise.all([1, 2, 3].map(n => slot(async () => order.push(n))))
    expect(order).toEqual([1, 2, 3])
  })
})

describe('settleAll', () => {
  test('rejects with the first failure only once every promise has settled', async () => {
    let slowDone = false
    const slow = new Promise<string>(resolve =>
      setTimeout(() => {
        slowDone = true
        resolve('slow')
      }, 20)
    )
    await expect(
      settleAll([Promise.reject(new Error('first')), slow, Promise.reject(new Error('second'))])
    ).rejects.toThrow('first')
    expect(slowDone).toBe(true)
  })

  test('resolves to every value, in order', async () => {
    await expect(settleAll([Promise.resolve(1), Promise.resolve('two')])).resolves.toEqual([1, 'two'])
  })
})
