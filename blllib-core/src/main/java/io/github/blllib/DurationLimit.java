package io.github.blllib;

import java.time.Duration;

/**
 * The longest delay or timeout blllib takes: {@value #LONGEST_IN_WORDS} (about 292 years), as
 * many nanoseconds as a {@code long} holds. Longer ones are refused where they are set.
 */
public final class DurationLimit {

	/** The longest delay or timeout: 106751 days. */
	public static final Duration LONGEST = Duration.ofDays(106_751);

	/** {@link #LONGEST} in words, for messages. */
	public static final String LONGEST_IN_WORDS = "at most 106751 days";

	private DurationLimit() {
	}

	/** Whether {@code duration} is longer than {@link #LONGEST}. */
	public static boolean exceeds(Duration duration) {
		return duration.compareTo(LONGEST) > 0;
	}

}
