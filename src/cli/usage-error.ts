/** A command line that cannot be run as given: its message is printed, the exit code is 2. */
export class UsageError extends Error {}
