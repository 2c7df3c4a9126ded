// Errors as values at the boundary: an Error whose `name` says what kind it is (FormatError,
// StateError, …; see EngineErrorName in worker/protocol.ts) and whose message is for a person.
// Comlink carries name and message from the worker to the page.

export function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** Data that is not what it claims to be. */
export function formatError(message: string): Error {
  return namedError('FormatError', message);
}
