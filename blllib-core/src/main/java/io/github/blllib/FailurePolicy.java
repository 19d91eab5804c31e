package io.github.blllib;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What a stage does when a call fails: retry it, then skip the item or fail the run; and how
 * long a call may take. The default is the seed's: the first failure fails the run.
 *
 * @param retry how to retry, or null for no retry
 * @param skip whether an item that still fails is skipped rather than failing the run
 * @param skipLimit most items skipped in one run before the run fails
 * @param timeout longest call, or null for no limit
 */
record FailurePolicy(Retry retry, boolean skip, long skipLimit, Duration timeout) {

	static final FailurePolicy NONE = new FailurePolicy(null, false, Long.MAX_VALUE, null);

	/** Whether a call that failed with {@code failure} on attempt {@code attempt} is tried again. */
	boolean retries(Throwable failure, int attempt) {
		return this.retry != null && this.retry.retries(failure, attempt);
	}

	/** Whether an item whose last attempt failed with {@code failure} is skipped. */
	boolean skips(Throwable failure) {
		return this.skip && !(failure instanceof Error);
	}

	/**
	 * Waits a retry's delay on the calling thread (a stateful stage's, which keeps its order by
	 * waiting); false when it is interrupted, as a close does. The consumer waits in
	 * {@link RunState#awaitRetryDelay(long)}, which a close ends too.
	 */
	static boolean waitedOut(long nanos) {
		if (nanos == 0) {
			return true;
		}
		try {
			TimeUnit.NANOSECONDS.sleep(nanos);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	boolean isNone() {
		return this.retry == null && !this.skip && this.timeout == null;
	}

}
