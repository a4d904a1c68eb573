import { STATE, stateOf } from './state.js'

// One bundle serves both steps of action.yml; the main step leaves isPost behind for the post step. The post
// step loads its code only when the main step left something to clean up (it cleans up after itself when it
// succeeds), so that it costs no more than starting Node.
if (!stateOf(STATE.isPost)) await (await import('./main.js')).run()
else if (stateOf(STATE.helmHome)) await (await import('./post.js')).post()
