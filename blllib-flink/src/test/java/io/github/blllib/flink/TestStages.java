package io.github.blllib.flink;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

import io.github.blllib.DeadLetterHandler;
import io.github.blllib.FailedItem;

/** Serializable, deterministic stages for the MiniCluster tests. */
final class TestStages {

	private TestStages() {
	}

	/** Sleeps 0 to 2 ms, chosen from the item and a seed, so that subtasks finish out of order. */
	static void jitter(long item, long seed) throws InterruptedException {
		long millis = Math.floorMod(item * 31 + seed, 3);
		if (millis > 0) {
			Thread.sleep(millis);
		}
	}

	/** {@code (a * x + b) mod 1009}, or nothing when {@code x} is a multiple of {@code dropEvery}. */
	record Affine(long a, long b, long dropEvery, long seed) implements SerializableStage<Long, Long> {

		@Override
		public Long apply(Long x) throws InterruptedException {
			jitter(x, this.seed);
			return (x % this.dropEvery == 0) ? null : Math.floorMod(this.a * x + this.b, 1009L);
		}

	}

	/** A running total mod 1009; nothing for items that are 3 mod {@code dropEvery}. Not thread-safe. */
	static final class RunningTotal implements SerializableStage<Long, Long> {

		private static final long serialVersionUID = 1L;

		private final long dropEvery;

		private final long seed;

		private long total;

		RunningTotal(long dropEvery, long seed) {
			this.dropEvery = dropEvery;
			this.seed = seed;
		}

		@Override
		public Long apply(Long x) throws InterruptedException {
			jitter(x, this.seed);
			this.total = Math.floorMod(this.total + x, 1009L);
			return (x % this.dropEvery == 3) ? null : this.total;
		}

	}

	/** A weighted sum of the window mod 1009, or nothing when it is a multiple of {@code dropEvery}. */
	record WindowSum(long dropEvery, long seed) implements SerializableStage<List<Long>, Long> {

		@Override
		public Long apply(List<Long> window) throws InterruptedException {
			long sum = 0;
			for (int i = 0; i < window.size(); i++) {
				sum += (i + 1) * window.get(i);
			}
			jitter(sum, this.seed);
			return (sum % this.dropEvery == 0) ? null : Math.floorMod(sum, 1009L);
		}

	}

	/** Throws for one value. */
	record FailOn(long value) implements SerializableStage<Long, Long> {

		@Override
		public Long apply(Long x) {
			if (x == this.value) {
				throw new IllegalStateException("no " + x);
			}
			return x;
		}

	}

	/** Fails the first attempt of every multiple of 3, then passes it through. */
	static final class FailsFirstAttempt implements SerializableStage<Long, Long> {

		private static final long serialVersionUID = 1L;

		private final Map<Long, Boolean> failed = new ConcurrentHashMap<>();

		@Override
		public Long apply(Long x) {
			if (x % 3 == 0 && this.failed.putIfAbsent(x, true) == null) {
				throw new IllegalStateException("first attempt of " + x);
			}
			return x;
		}

	}

	/** Blocks (interruptibly, for good) on one value. */
	record HangOn(long value) implements SerializableStage<Long, Long> {

		@Override
		public Long apply(Long x) throws InterruptedException {
			if (x == this.value) {
				new CountDownLatch(1).await();
			}
			return x;
		}

	}

	/** Keeps every skipped item in {@link #items}, for the test to read. */
	record RecordingDeadLetters() implements DeadLetterHandler, Serializable {

		static final Queue<FailedItem> items = new ConcurrentLinkedQueue<>();

		@Override
		public void accept(FailedItem item) {
			items.add(item);
		}

	}

	/** The item, tagged with the subtask of the thread that handled it: {@code "x@subtask"}. */
	record TagWithSubtask() implements SerializableStage<Long, String> {

		@Override
		public String apply(Long x) throws InterruptedException {
			jitter(x, 7);
			// the pool threads are named blllib-flink-<pipeline>-<stage>-<subtask>-<n>
			String[] parts = Thread.currentThread().getName().split("-");
			return x + "@" + parts[parts.length - 2];
		}

	}

}
