// tf.grad needs a gradient registered for every kernel it meets. tfjs-core's Node bundle registers none, and its
// `dist/register_all_gradients` is an ES module with extensionless imports that Node cannot load; tfjs-layers'
// Node bundle carries all of tfjs-core's gradients and registers them when loaded. Whatever calls tf.grad imports
// this module for that side effect, rather than relying on something else having loaded tfjs-layers first.
import '@tensorflow/tfjs-layers';
