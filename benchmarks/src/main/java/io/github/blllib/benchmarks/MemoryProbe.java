package io.github.blllib.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineRun;
import io.github.blllib.StageSpec;

/**
 * Item 5's child JVM: takes {@code N} outputs of a mixed pipeline fed by an endless input,
 * then closes the run. At evenly spaced checkpoints, and at the end with the run still open,
 * it collects garbage and records the heap in use; it prints the peak of those readings.
 *
 * <p>Usage: {@code java -Xmx32m -cp <classpath> io.github.blllib.benchmarks.MemoryProbe N}.
 */
public final class MemoryProbe {

	static final String RESULT_PREFIX = "memory-probe:";

	private static final int CHECKPOINTS = 20;

	private MemoryProbe() {
	}

	public static void main(String[] args) {
		long items = Long.parseLong(args[0]);
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long interval = Math.max(1, items / CHECKPOINTS);
		long peak = 0;
		long sum = 0;
		long taken = 0;
		long start = System.nanoTime();
		try (Pipeline<Long, Long> pipeline = mixedPipeline(); PipelineRun<Long> run = pipeline.apply(EndlessInput::new)) {
			while (taken < items && run.hasNext()) {
				sum += run.next();
				taken++;
				if (taken % interval == 0 || taken == items) {
					peak = Math.max(peak, usedAfterGc(memory));
				}
			}
		}
		long elapsed = System.nanoTime() - start;
		Blackhole.consume(sum);
		String collectors = ManagementFactory.getGarbageCollectorMXBeans()
			.stream()
			.map(GarbageCollectorMXBean::getName)
			.collect(Collectors.joining("+"));
		System.out.printf("%s items=%d peakUsedAfterGc=%d elapsedNanos=%d maxHeap=%d gc=%s%n", RESULT_PREFIX, taken,
				peak, elapsed, Runtime.getRuntime().maxMemory(), collectors.replace(' ', '_'));
	}

	/**
	 * A stateless step, a stateful running sum on its own thread and a window-3 second
	 * difference: every kind of stage, each holding some items in flight.
	 */
	static Pipeline<Long, Long> mixedPipeline() {
		long[] runningSum = new long[1];
		return Pipeline.<Long>builder("memory")
			.nCpu(2)
			.then(StageSpec.stateless("plus-one", (Long x) -> x + 1).batchSize(64))
			.then(StageSpec.stateful("running-sum", (Long x) -> runningSum[0] += x).batchSize(16))
			.then(StageSpec.window("second-difference", 3, (List<Long> w) -> w.get(2) - 2 * w.get(1) + w.get(0))
				.batchSize(64))
			.build();
	}

	private static long usedAfterGc(MemoryMXBean memory) {
		System.gc();
		return memory.getHeapMemoryUsage().getUsed();
	}

	/** 0, 1, 2, ... without end. */
	private static final class EndlessInput implements Iterator<Long> {

		private long next;

		@Override
		public boolean hasNext() {
			return true;
		}

		@Override
		public Long next() {
			return this.next++;
		}

	}

}
