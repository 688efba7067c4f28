// A failure the person at the terminal can act on (refused token, unknown project, server
// down): printed as one `bindery: …` line with exit code 1, never as a stack trace.

export class ClientError extends Error {
  /** True when trying again later may work (the server was unreachable or failed), false when the answer was no. */
  retryable = false;
}

export function retryable(message: string): ClientError {
  const err = new ClientError(message);
  err.retryable = true;
  return err;
}
