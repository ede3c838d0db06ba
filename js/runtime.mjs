// One WebAssembly module's instance, and its rebuilding after a trap.
//
// The wasm-bindgen glue is generated as a factory (`createBindings`, see
// scripts/assemble-pkg.mjs), so that each instance has its own bindings,
// memory views and finalizers. After a trap (an allocation failure, a bug)
// the instance's state cannot be trusted: `reset` instantiates the compiled
// module again, and every object made through a `handle` (a model, a model
// set) is remade from the text it was made from on its next use. Objects of
// the trapped instance are dropped, so its memory is freed with them.

/** How many handles to register between two sweeps of the collected ones. */
const SWEEP = 1024;

/**
 * @param {() => object} createBindings the glue's factory
 */
export function makeRuntime(createBindings) {
  let bindings = null;
  let compiled = null;
  let epoch = 0;
  let handles = new Set();
  let registered = 0;

  function adopt(b) {
    bindings = b;
    compiled = b.module();
    epoch++;
  }

  const rt = {
    /** The current bindings (null before the module is instantiated). */
    get bindings() {
      return bindings;
    },
    get ready() {
      return bindings !== null;
    },
    /** The instance's exports (its memory, for diagnostics). */
    get exports() {
      return bindings?.exports() ?? null;
    },
    /**
     * Runs `fn` (a large call) with the module told the memory it will
     * take, so that the memory grows in one step when the input is copied
     * in: V8 answers each growth of a module's
     * memory past about 64 MiB with a full collection of the JS heap, a
     * second each with a million scorecards alive (crates/wasm/src/alloc.rs).
     */
    withMemory(bytes, fn) {
      if (!(bytes > 32 << 20) || !bindings) return fn();
      bindings.expectMemory(bytes);
      try {
        return fn();
      } finally {
        // (a call that needed no growth leaves no hint for the next one)
        bindings?.expectMemory(0);
      }
    },
    /** Instantiates synchronously from a WebAssembly.Module or the .wasm bytes. */
    startSync(module) {
      if (bindings) return;
      const b = createBindings();
      b.initSync({ module });
      adopt(b);
    },
    /** Instantiates asynchronously (a URL, Response, bytes or WebAssembly.Module; the glue's default URL without). */
    async start(input) {
      if (bindings) return;
      const b = createBindings();
      await b.init(input === undefined ? undefined : { module_or_path: input });
      if (!bindings) adopt(b);
    },
    /** Replaces a trapped instance with a new one; every handle is remade on its next use. */
    reset() {
      if (!compiled) return;
      const b = createBindings();
      b.initSync({ module: compiled });
      adopt(b);
      for (const ref of handles) {
        const h = ref.deref();
        if (h) h.drop();
        else handles.delete(ref);
      }
    },
    /** An object of this instance, remade by `make(bindings)` after a reset. */
    handle(make) {
      const h = new Handle(make, rt);
      if (typeof WeakRef === 'function') {
        if (++registered % SWEEP === 0) handles = new Set([...handles].filter((r) => r.deref() !== undefined));
        handles.add(new WeakRef(h));
      }
      return h;
    },
    get epoch() {
      return epoch;
    },
    /** The error a freed object's use throws (set by the API). */
    freedError: () => new Error('this object was freed'),
  };
  return rt;
}

class Handle {
  #make;
  #rt;
  #inner = null;
  #epoch = -1;
  #freed = false;

  constructor(make, rt) {
    this.#make = make;
    this.#rt = rt;
    this.get();
  }

  /** The object in the current instance (remade after a reset). */
  get() {
    if (this.#freed) throw this.#rt.freedError();
    if (this.#epoch !== this.#rt.epoch || this.#inner === null) {
      this.#inner = this.#make(this.#rt.bindings);
      this.#epoch = this.#rt.epoch;
    }
    return this.#inner;
  }

  /** Forgets the object of a trapped instance (its memory goes with it). */
  drop() {
    this.#inner = null;
  }

  /** Frees the object now. */
  free() {
    if (this.#inner !== null && this.#epoch === this.#rt.epoch) this.#inner.free();
    this.#inner = null;
    this.#freed = true;
  }
}
