package io.github.blllib.benchmarks;

/** Keeps the JIT from removing work whose result nobody reads. */
final class Blackhole {

	private static volatile long sink;

	private Blackhole() {
	}

	static void consume(long value) {
		sink ^= value;
	}

	/** Fails the benchmark when a candidate computed something else than expected. */
	static void check(String what, long expected, long actual) {
		if (expected != actual) {
			throw new IllegalStateException(what + ": expected " + expected + " but got " + actual);
		}
		consume(actual);
	}

}
