// A write or a request refused by a rule of the domain, naming the field at fault. The domain
// layer (src/domain/) throws it; each adapter turns it into its own answer: the API into
// Read the Docs' `{"<field>": ["<message>"]}` with the status of its kind, the dashboard into
// a message beside the form's field.

/**
 * invalid: bad input (HTTP 400) · conflict: clashes with what exists, e.g. a taken name (409
 * where Read the Docs answers 409, else 400) · not_found: the thing named is not there or not
 * visible to the actor (404) · forbidden: the actor may see it but not do this (403).
 */
export type DomainErrorKind = 'invalid' | 'conflict' | 'not_found' | 'forbidden';

export class DomainError extends Error {
  readonly field: string;
  readonly kind: DomainErrorKind;
  constructor(field: string, message: string, kind: DomainErrorKind = 'invalid') {
    super(message);
    this.field = field;
    this.kind = kind;
  }

  /** Kept for callers that only tell a clash from bad input. */
  get conflict(): boolean {
    return this.kind === 'conflict';
  }
}
