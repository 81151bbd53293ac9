// A recurrent layer whose forward and backward are one fused kernel call each (src/engine/fused/, the layer path
// of docs/kernels.md): a tf.layers.Layer whose call hands its input and its weights, read with .read(), to one
// tf.customGrad op, so that model.fit, trainOnBatch and optimizer.minimize train it, and anything upstream of it,
// by the hand-derived backward. Weights in tfjs-layers' names and layouts: kernel [I, G·H], recurrent_kernel
// [H, G·H], bias [G·H]. simple-rnn.ts, lstm.ts and gru.ts are its three cells.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Initializer } from '@tensorflow/tfjs-layers/dist/initializers';
import type { LayerVariable, Shape } from '@tensorflow/tfjs-layers';
import { ActivationName, KernelCell } from '../engine/fused/capabilities';
import { CellWeights, LayerOptions } from '../engine/fused/contract';
import { GATES } from '../engine/params';
import { layerKernelOf } from '../engine/fused/registry';
import { initializerOf, InitializerOption, serializedInitializer } from './initializers';
import { checkLayerArgs, DESERIALIZATION_KEYS, FusedLSTMArgs } from './options';

/** x [B, T, I] in time order reversed (goBackwards), as a copy: [b, t] takes [b, T − 1 − t]. */
function reverseTime(x: Float32Array, B: number, T: number, width: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) out.set(x.subarray((b * T + t) * width, (b * T + t + 1) * width), (b * T + T - 1 - t) * width);
  }
  return out;
}

export abstract class FusedRNN extends tfl.layers.Layer {
  readonly units: number;
  readonly activation: ActivationName;
  readonly recurrentActivation?: ActivationName;
  readonly useBias: boolean;
  readonly returnSequences: boolean;
  readonly goBackwards: boolean;
  private readonly initializers: Record<'kernel' | 'recurrent' | 'bias', Initializer>;
  private weightsOf?: { kernel: LayerVariable; recurrent: LayerVariable; bias?: LayerVariable };

  /** The cell whose kernel computes the layer, and the factory's name for its messages. */
  protected constructor(private readonly cell: KernelCell, factory: string, private readonly args: FusedLSTMArgs) {
    checkLayerArgs(factory, cell, args as unknown as Record<string, unknown>);
    super({
      name: args.name, trainable: args.trainable, inputShape: args.inputShape ?? undefined,
      batchInputShape: args.batchInputShape ?? undefined, batchSize: args.batchSize, dtype: args.dtype,
    });
    this.units = args.units;
    this.activation = args.activation ?? 'tanh';
    if (cell !== 'elman') this.recurrentActivation = args.recurrentActivation ?? 'hardSigmoid';
    this.useBias = args.useBias ?? true;
    this.returnSequences = args.returnSequences ?? false;
    this.goBackwards = args.goBackwards ?? false;
    // tfjs' defaults for SimpleRNN, LSTM and GRU.
    this.initializers = {
      kernel: initializerOf(args.kernelInitializer ?? 'glorotUniform', 'kernelInitializer'),
      recurrent: initializerOf(args.recurrentInitializer ?? 'orthogonal', 'recurrentInitializer'),
      bias: initializerOf(args.biasInitializer ?? 'zeros', 'biasInitializer'),
    };
    this.supportsMasking = false;
  }

  build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const I = shape[shape.length - 1] as number;
    const GH = GATES[this.cell] * this.units;
    const { kernel, recurrent, bias } = this.initializers;
    this.weightsOf = {
      kernel: this.addWeight('kernel', [I, GH], 'float32', kernel),
      recurrent: this.addWeight('recurrent_kernel', [this.units, GH], 'float32', recurrent),
      bias: this.useBias ? this.addWeight('bias', [GH], 'float32', bias) : undefined,
    };
    if (this.weightsOf.bias && this.args.unitForgetBias) {
      // tfjs' unitForgetBias: the forget gate's block (i, f, c, o) starts at 1.
      const b = this.weightsOf.bias;
      const H = this.units;
      b.write(tf.tidy(() => tf.concat([tf.slice(b.read(), 0, H), tf.ones([H]), tf.slice(b.read(), 2 * H, 2 * H)])));
    }
    this.built = true;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return this.returnSequences ? [shape[0], shape[1], this.units] : [shape[0], this.units];
  }

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const { kernel, recurrent, bias } = this.weightsOf!;
    const weights = [kernel.read(), recurrent.read(), ...(bias ? [bias.read()] : [])];
    return this.fusedOp()(x, ...weights);
  }

  /**
   * The one op: forward (states) now, and a gradient function that runs the kernel's backward (statesGrads) from
   * the upstream ∂L/∂h_t, returning ∂L/∂x and the weights' gradients in the inputs' order.
   */
  private fusedOp() {
    const kernel = layerKernelOf(this.cell)!;
    const options: LayerOptions = { activation: this.activation, recurrentActivation: this.recurrentActivation };
    const { units: H, returnSequences, goBackwards } = this;
    return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [x, Wx, Ws, bs] = args.slice(0, -1) as tf.Tensor[];
      const [B, T, I] = x.shape as [number, number, number];
      const values = (t: tf.Tensor) => t.dataSync() as Float32Array;
      const w: CellWeights = { Wx: values(Wx), Ws: values(Ws), ...(bs && { bs: values(bs) }) };
      const input = goBackwards ? reverseTime(values(x), B, T, I) : values(x);
      const h = kernel.states(w, input, B, T, options);
      const value = returnSequences ? tf.tensor3d(h, [B, T, H]) : tf.tensor2d(h.filter((_, i) => i % (T * H) >= (T - 1) * H), [B, H]);
      const gradFunc = (dy: tf.Tensor) => {
        let dh = values(dy);
        if (!returnSequences) {
          // The loss reads h_T alone: zero rows for the other steps.
          const last = dh;
          dh = new Float32Array(B * T * H);
          for (let b = 0; b < B; b++) dh.set(last.subarray(b * H, (b + 1) * H), (b * T + T - 1) * H);
        }
        const { grads, dx } = kernel.statesGrads(w, input, dh, B, T, options);
        const shaped = (g: Float32Array, like: tf.Tensor) => tf.tensor(g, like.shape);
        return [
          tf.tensor3d(goBackwards ? reverseTime(dx, B, T, I) : dx, [B, T, I]),
          shaped(grads.Wx, Wx),
          shaped(grads.Ws, Ws),
          ...(bs ? [shaped(grads.bs!, bs)] : []),
        ];
      };
      return { value, gradFunc };
    });
  }

  /** The constructor's options, initializers serialized: what loadLayersModel hands the constructor back. */
  getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = { ...super.getConfig() };
    for (const [key, value] of Object.entries(this.args)) {
      // The base's batchInputShape stands for inputShape and batchSize.
      if (value === undefined || key === 'inputShape' || key === 'batchSize' || DESERIALIZATION_KEYS.includes(key)) continue;
      config[key] = key.endsWith('Initializer') ? serializedInitializer(initializerOf(value as InitializerOption, key)) : value;
    }
    return config;
  }
}
