package io.github.blllib.demo;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.blllib.BlllibStage;
import io.github.blllib.Stage;

import org.springframework.stereotype.Component;

/**
 * The long job's first stage, a stand-in for a flaky remote lookup that passes each number on:
 * one call in a hundred ({@code n % 100 == 42}) fails once with a {@link TransientLookupException}
 * and succeeds when retried; a perfect cube has no record and fails for good with a
 * {@link MissingRecordException}. Its retry and skip come from {@code blllib.stages.flaky-lookup.*}
 * in application.yml.
 */
@Component
@BlllibStage(stateful = "false", batchSize = 64)
public class FlakyLookup implements Stage<Long, Long> {

	/** The numbers whose first call has failed and whose retry has not yet come. */
	private final Set<Long> failedOnce = ConcurrentHashMap.newKeySet();

	@Override
	public Long apply(Long n) {
		if (isCube(n)) {
			throw new MissingRecordException(n);
		}
		if (n % 100 == 42) {
			if (this.failedOnce.add(n)) {
				throw new TransientLookupException(n);
			}
			this.failedOnce.remove(n);
		}
		return n;
	}

	/** Whether {@code n} (at least 1) is a perfect cube, so that its lookup always fails. */
	public static boolean isCube(long n) {
		long root = Math.round(Math.cbrt(n));
		return root * root * root == n;
	}

	/** The lookup failed this time; a retry may succeed. */
	public static class TransientLookupException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		TransientLookupException(long n) {
			super("lookup of " + n + " timed out at the remote end");
		}

	}

	/** There is no record for the number: retrying will not help. */
	public static class MissingRecordException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		MissingRecordException(long n) {
			super("no record for " + n);
		}

	}

}
