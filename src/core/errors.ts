// Errors that carry a reason a user can act on. The API and the dashboard show
// `message` verbatim, so it must name what was wrong and what was expected.

/** A build failure with a stable machine-readable code (like Read the Docs' BuildUserError). */
export class BuildError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'BuildError';
    this.code = code;
  }
}

/** An invalid configuration file: names the key, the value found and what was expected. */
export class ConfigError extends BuildError {
  readonly key: string;
  constructor(key: string, message: string) {
    super('config-invalid', message);
    this.name = 'ConfigError';
    this.key = key;
  }
}
