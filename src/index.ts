import { STATE, stateOf } from './state.js'

// One bundle serves both steps of action.yml; the main step leaves isPost behind for the post step. The post
// step runs its code only when the main step left something to clean up (the main step cleans up after
// itself), so that it costs little more than starting Node. Eager: one file, each module once.
if (!stateOf(STATE.isPost)) await (await import(/* webpackMode: "eager" */ './main.js')).run()
else if (stateOf(STATE.helmHome)) await (await import(/* webpackMode: "eager" */ './post.js')).post()
