package io.github.blllib.benchmarks;

/**
 * When each call of a run at batch 1 was made and when its result came, by item: what a
 * call's latency is made of besides the latency it asks for (how late the timer fires) and
 * what the library adds between one call's completion and the next call.
 */
final class CallTimeline {

	private final long[] called;

	private final long[] completed;

	/** The first items, left out of the means as the run's warm-up. */
	private final int skipped;

	CallTimeline(int items) {
		this.called = new long[items];
		this.completed = new long[items];
		this.skipped = items / 10;
	}

	void called(int item) {
		this.called[item] = System.nanoTime();
	}

	void completed(int item) {
		this.completed[item] = System.nanoTime();
	}

	/** Mean time from a call to its completion beyond {@code latencyNanos}, in microseconds. */
	double meanOvershootMicros(long latencyNanos) {
		long sum = 0;
		for (int i = this.skipped; i < this.called.length; i++) {
			sum += this.completed[i] - this.called[i] - latencyNanos;
		}
		return sum / 1e3 / (this.called.length - this.skipped);
	}

	/** Mean time from a call's completion to the next call, in microseconds. */
	double meanCompletionToNextCallMicros() {
		long sum = 0;
		for (int i = this.skipped; i < this.called.length - 1; i++) {
			sum += this.called[i + 1] - this.completed[i];
		}
		return sum / 1e3 / (this.called.length - 1 - this.skipped);
	}

}
