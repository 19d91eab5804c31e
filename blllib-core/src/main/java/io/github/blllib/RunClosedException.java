package io.github.blllib;

/**
 * Unwinds the consumer's pull when a close from another thread ends a wait the run does on the
 * consuming thread (a retry's delay in master): the pull then finds no more output. Never seen
 * by users.
 */
final class RunClosedException extends RuntimeException {

	static final RunClosedException INSTANCE = new RunClosedException();

	private RunClosedException() {
		super("the run was closed", null, false, false);
	}

}
