package io.github.blllib;

/**
 * An outcome of an off-thread call that is not an output: the consumer looks closer only at
 * these. A class, not an interface: checking an output against an interface costs a scan of the
 * output's own interfaces on every item.
 */
abstract class Unsuccessful {

	final Throwable cause;

	private Unsuccessful(Throwable cause) {
		this.cause = cause;
	}

	/** The call failed and its item fails the run when handed on. */
	static final class Failure extends Unsuccessful {

		Failure(Throwable cause) {
			super(cause);
		}

	}

	/** The call failed and its item is skipped when handed on. */
	static final class Skipped extends Unsuccessful {

		final Object input;

		final int attempts;

		Skipped(Object input, Throwable cause, int attempts) {
			super(cause);
			this.input = input;
			this.attempts = attempts;
		}

	}

}
