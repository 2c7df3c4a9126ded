// --post-js: makes the module's API throw. The bindings return engine errors as JS Error values
// (see bindings.cpp); this wraps every bound method and class function so that such a value is
// thrown instead, with the engine's name ("DescriptionError", ...) and message.
// Embind registers its classes while the runtime initialises, after this file has run, so the
// wrapping happens in a postRun hook (it runs before code awaiting the factory's promise).
function scratchnetWrapThrowing(fn) {
  return function () {
    var result = fn.apply(this, arguments);
    if (result instanceof Error && result['scratchnet']) throw result;
    return result;
  };
}
function scratchnetWrapClass(cls) {
  Object.getOwnPropertyNames(cls.prototype).forEach(function (name) {
    var fn = cls.prototype[name];
    if (
      typeof fn !== 'function' ||
      name === 'constructor' ||
      name === 'delete' ||
      name.indexOf('is') === 0 ||
      name === 'clone' ||
      name === 'deleteLater'
    )
      return;
    cls.prototype[name] = scratchnetWrapThrowing(fn);
  });
  Object.getOwnPropertyNames(cls).forEach(function (name) {
    var fn = cls[name];
    if (typeof fn === 'function' && name !== 'prototype') cls[name] = scratchnetWrapThrowing(fn);
  });
}
function scratchnetWrapAll() {
  scratchnetWrapClass(Module['Network']);
  scratchnetWrapClass(Module['Dataset']);
}
// Only documented Module hooks, no runtime internals (whose names change between Emscripten
// releases): Module.postRun rather than addOnPostRun (newer releases only define library helpers
// the program uses), and "are the classes registered yet" rather than Module.calledRun. Post-js
// code runs inside the factory, before the asynchronous wasm instantiation completes, so the
// classes are normally not there yet and the hook is taken; in a pthread worker postRun never
// runs and nothing is wrapped (workers call no bound methods).
if (Module['Network']) {
  scratchnetWrapAll();
} else {
  Module['postRun'] = [].concat(Module['postRun'] || [], scratchnetWrapAll);
}
