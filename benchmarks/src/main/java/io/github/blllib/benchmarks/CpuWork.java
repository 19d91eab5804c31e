package io.github.blllib.benchmarks;

/**
 * Arithmetic that the JIT can neither fold nor skip: a xorshift chain whose result is the
 * stage's output and is summed by the consumer.
 */
final class CpuWork {

	private CpuWork() {
	}

	static long spin(long seed, int iterations) {
		long x = seed | 1;
		for (int i = 0; i < iterations; i++) {
			x ^= x << 13;
			x ^= x >>> 7;
			x ^= x << 17;
		}
		return x;
	}

	/** Iterations of {@link #spin} that take about {@code targetNanos} on this thread, after warm-up. */
	static int calibrate(long targetNanos) {
		long sink = 0;
		long warmUntil = System.nanoTime() + 300_000_000L;
		while (System.nanoTime() < warmUntil) {
			sink += spin(sink, 10_000);
		}
		int probe = 1_000_000;
		long[] nanos = new long[9];
		for (int i = 0; i < nanos.length; i++) {
			long start = System.nanoTime();
			sink += spin(sink + i, probe);
			nanos[i] = System.nanoTime() - start;
		}
		Blackhole.consume(sink);
		long median = new Samples(nanos).median();
		return (int) Math.max(1, targetNanos * probe / median);
	}

}
