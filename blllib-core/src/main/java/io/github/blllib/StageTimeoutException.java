package io.github.blllib;

import java.time.Duration;

/** A stage call took longer than its stage's {@link StageSpec#timeout(Duration) timeout}. */
public class StageTimeoutException extends Exception {

	private static final long serialVersionUID = 1L;

	public StageTimeoutException(String stage, Duration timeout) {
		super("Stage '" + stage + "' did not finish a call within " + timeout);
	}

}
