// A write refused by a rule of the domain (a taken name, a nesting not allowed), naming the
// field at fault. `conflict` marks clashes with existing data (HTTP 409) apart from bad input (400).
export class RuleError extends Error {
  readonly field: string;
  readonly conflict: boolean;
  constructor(field: string, message: string, conflict = false) {
    super(message);
    this.field = field;
    this.conflict = conflict;
  }
}
