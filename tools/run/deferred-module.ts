/**
 * A stand-in for a module that requires the real one the first time anything touches it. The
 * synth defers what @pulumi/* require eagerly but never use in a synth (tools/synth/main.ts), and
 * jest does the same for two of them in every test file (tools/jest/lazy.cjs).
 *
 * `esModule` is what `__esModule` reads as before then, so TypeScript's __importStar and
 * __importDefault helpers keep their semantics without loading the module; `callable` makes the
 * stand-in a function, for a module that exports one.
 */
export function deferredModule(load: () => object, esModule: boolean, callable: boolean): object {
  let real: object | undefined;
  const target = () => (real ??= load());
  // A bound function is callable and constructible yet has no non-configurable own keys.
  const stub: object = callable ? function () {}.bind(null) : {};
  return new Proxy(stub, {
    get: (_, key) =>
      key === "__esModule" && real === undefined
        ? esModule || undefined
        : Reflect.get(target(), key),
    has: (_, key) => key in target(),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(target(), key);
      return d && { ...d, configurable: true };
    },
    set: (_, key, value) => Reflect.set(target(), key, value),
    apply: (_, self, args) => Reflect.apply(target() as () => unknown, self, args),
    construct: (_, args) => Reflect.construct(target() as new () => object, args),
  });
}
