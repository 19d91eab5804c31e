package io.github.blllib;

/**
 * A failure as text for a message or a log line, built so that it cannot fail: an exception
 * whose {@code toString()} or {@code getMessage()} throws is named by its class alone.
 */
final class FailureDescription {

	private FailureDescription() {
	}

	/** {@code failure.toString()}, or its class name and why that could not be read. */
	static String of(Throwable failure) {
		try {
			return String.valueOf(failure);
		}
		catch (Exception ex) {
			return failure.getClass().getName() + " (its message could not be read: " + ex.getClass().getName() + ")";
		}
	}

}
