package io.github.blllib.benchmarks;

import java.util.Arrays;

/** The timed runs of one candidate, in nanoseconds. */
final class Samples {

	private final long[] nanos;

	Samples(long[] nanos) {
		this.nanos = nanos.clone();
		Arrays.sort(this.nanos);
	}

	long median() {
		int n = this.nanos.length;
		return ((n % 2) == 1) ? this.nanos[n / 2] : (this.nanos[n / 2 - 1] + this.nanos[n / 2]) / 2;
	}

	long min() {
		return this.nanos[0];
	}

	long max() {
		return this.nanos[this.nanos.length - 1];
	}

	int count() {
		return this.nanos.length;
	}

	/** Items per second at the median time. */
	double itemsPerSecond(long items) {
		return items * 1e9 / median();
	}

	/** "123.4 ms (min 120.1, max 130.2, n=9)". */
	String describeMillis() {
		return String.format("%.1f ms (%.1f–%.1f, n=%d)", median() / 1e6, min() / 1e6, max() / 1e6, count());
	}

}
