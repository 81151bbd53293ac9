declare const RNN_ADDER_VERSION: string;

/** rnn-adder's version, written into the bundle by scripts/build-web.ts; it goes into a trained model's metadata. */
export const VERSION = RNN_ADDER_VERSION;
