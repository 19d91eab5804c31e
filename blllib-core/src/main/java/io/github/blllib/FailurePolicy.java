package io.github.blllib;

import java.time.Duration;

/**
 * What a stage does when a call fails: retry it, then skip the item or fail the run; and how
 * long a call may take. The default is the seed's: the first failure fails the run. What a
 * failed attempt becomes is decided by {@link StageFailures}.
 *
 * @param retry how to retry, or null for no retry
 * @param skip whether an item that still fails is skipped rather than failing the run
 * @param skipLimit most items skipped in one run before the run fails
 * @param timeout longest call, or null for no limit
 */
record FailurePolicy(Retry retry, boolean skip, long skipLimit, Duration timeout) {

	static final FailurePolicy NONE = new FailurePolicy(null, false, Long.MAX_VALUE, null);

	boolean isNone() {
		return this.retry == null && !this.skip && this.timeout == null;
	}

}
