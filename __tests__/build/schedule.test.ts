import { describe, expect, test } from '@jest/globals'
import { limiter, schedule, settleAll } from '../../src/build/schedule.js'

const tick = () => new Promise(resolve => setImmediate(resolve))

describe('schedule', () => {
  test('runs a name only after the names it depends on, never more than the limit at once', async () => {
    const started: string[] = []
    let running = 0
    let peak = 0
    const results = await schedule(
      ['common', 'api', 'worker', 'docs'],
      new Map([
        ['api', ['common']],
        ['worker', ['common']]
      ]),
      2,
      async name => {
        started.push(name)
        peak = Math.max(peak, ++running)
        await tick()
        running--
        return name.toUpperCase()
      }
    )
    expect(started.indexOf('common')).toBeLessThan(started.indexOf('api'))
    expect(started.indexOf('common')).toBeLessThan(started.indexOf('worker'))
    expect(peak).toBe(2)
    expect(results.get('worker')).toEqual({ status: 'done', value: 'WORKER' })
  })

  test('a failure skips its dependents and lets the others finish', async () => {
    const results = await schedule(['common', 'api', 'docs'], new Map([['api', ['common']]]), 1, async name => {
      if (name === 'common') throw new Error('lint failed')
      return name
    })
    expect(results.get('common')).toEqual({ status: 'failed', error: new Error('lint failed') })
    expect(results.get('api')).toEqual({ status: 'skipped', reason: 'common did not build' })
    expect(results.get('docs')).toEqual({ status: 'done', value: 'docs' })
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
