package io.github.blllib;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import io.github.blllib.RandomizedEquivalenceTests.RandomCase;
import io.github.blllib.RandomizedEquivalenceTests.Recipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link PipelineRun#position()} (SPEC §14): replaying a pipeline of deterministic stages without
 * state on the inputs from the position on gives exactly the outputs not yet delivered, and the
 * position keeps its bounds.
 */
class DeliveredPositionTests {

	static LongStream replayCases() {
		return LongStream.range(0, 320);
	}

	/**
	 * Random pipelines (stateless with drops, windows of 1 to 4 in master and off the consuming
	 * thread, async stages and windows completed on other threads, stages that skip the inputs
	 * they fail on) over inputs with nulls, in sequential or parallel mode: after every m-th
	 * output, the sequential replay from the position gives the rest of the run's outputs.
	 */
	@ParameterizedTest(name = "case {0}")
	@MethodSource("replayCases")
	void replayingFromThePositionGivesExactlyTheOutputsNotYetDelivered(long seed) {
		Random random = new Random(seed);
		RandomCase randomCase = drawWithoutState(random, "position " + seed);
		List<Long> inputs = withNulls(random, randomCase.inputs());
		long[] failingSalts = random.longs(randomCase.recipes().size()).toArray();
		boolean sequential = random.nextInt(4) == 0;
		int every = 1 + random.nextInt(12);
		String description = randomCase + (sequential ? " sequential" : " parallel") + ", every " + every;

		List<Long> outputs = new ArrayList<>();
		List<long[]> checkpoints = new ArrayList<>();
		CountingInputs counted = new CountingInputs(inputs);
		try (Pipeline<Long, Long> pipeline = pipeline(randomCase, failingSalts, sequential);
				PipelineRun<Long> run = pipeline.apply(counted)) {
			checkpoints.add(new long[] { 0, run.position() });
			long last = 0;
			while (run.hasNext()) {
				long fetched = run.position();
				assertThat(fetched).as(description + ": fetched, not delivered")
					.isEqualTo(outputs.isEmpty() ? 0 : fetched)
					.isGreaterThanOrEqualTo(last);
				if (outputs.size() % every == 0) {
					checkpoints.add(new long[] { outputs.size(), fetched });
				}
				outputs.add(run.next());
				long position = run.position();
				assertThat(position).as(description + ": never decreasing").isGreaterThanOrEqualTo(last);
				assertThat(position).as(description + ": never above the inputs read")
					.isLessThanOrEqualTo(counted.reads.get());
				last = position;
				if (outputs.size() % every == 0) {
					checkpoints.add(new long[] { outputs.size(), position });
				}
			}
			assertThat(run.position()).as(description + ": exhausted").isEqualTo(inputs.size());
		}
		checkpoints.add(new long[] { outputs.size(), inputs.size() });

		for (long[] checkpoint : checkpoints) {
			int delivered = (int) checkpoint[0];
			int position = (int) checkpoint[1];
			List<Long> replayed;
			try (Pipeline<Long, Long> pipeline = pipeline(randomCase, failingSalts, true)) {
				replayed = StageKindsTests.drain(pipeline.apply(inputs.subList(position, inputs.size())));
			}
			assertThat(replayed).as(description + ": replay from " + position + " after " + delivered + " outputs")
				.isEqualTo(outputs.subList(delivered, outputs.size()));
		}
	}

	@Test
	void theFirstOutputFetchedButNotDeliveredLeavesThePositionAtZero() {
		try (Pipeline<Long, Long> pipeline = Pipeline.<Long>builder("fetched")
			.then(StageSpec.stateless("drop-small", (Long x) -> (x < 5) ? null : x).batchSize(4))
			.build(); PipelineRun<Long> run = pipeline.apply(LongStream.range(0, 10).boxed().toList())) {
			assertThat(run.position()).isZero();
			assertThat(run.hasNext()).isTrue();
			assertThat(run.position()).isZero();
			assertThat(run.next()).isEqualTo(5);
			assertThat(run.position()).isEqualTo(6);
		}
	}

	@Test
	void anOutputFetchedByHasNextIsNotDelivered() {
		try (Pipeline<Long, Long> pipeline = Pipeline.<Long>builder("fetched-later").sequential()
			.then(StageSpec.stateless("drop-odd", (Long x) -> (x % 2 == 1) ? null : x))
			.build(); PipelineRun<Long> run = pipeline.apply(LongStream.range(0, 10).boxed().toList())) {
			assertThat(run.next()).isEqualTo(0);
			assertThat(run.position()).isEqualTo(1);
			assertThat(run.hasNext()).isTrue();
			assertThat(run.position()).as("2 fetched, not delivered").isEqualTo(2);
			assertThat(run.next()).isEqualTo(2);
			assertThat(run.position()).isEqualTo(3);
		}
	}

	@Test
	void aRunWhoseInputsAreAllDroppedEndsAtTheInputsRead() {
		try (Pipeline<Long, Long> pipeline = Pipeline.<Long>builder("all-dropped")
			.then(StageSpec.stateless("drop", (Long x) -> (Long) null))
			.build(); PipelineRun<Long> run = pipeline.apply(withNullAt(7, 3))) {
			assertThat(run.hasNext()).isFalse();
			assertThat(run.position()).isEqualTo(7);
		}
	}

	@Test
	void windowsLeftIncompleteAtTheEndLeaveThePositionAtTheInputsRead() {
		try (Pipeline<Long, List<Long>> pipeline = Pipeline.<Long>builder("windows")
			.then(StageSpec.window("pairs", 3, (List<Long> w) -> w))
			.build(); PipelineRun<List<Long>> run = pipeline.apply(LongStream.range(0, 4).boxed().toList())) {
			assertThat(run.next()).containsExactly(0L, 1L, 2L);
			assertThat(run.position()).as("the next window starts at 1").isEqualTo(1);
			assertThat(run.next()).containsExactly(1L, 2L, 3L);
			assertThat(run.position()).as("1 and 2 held, 2 would start a window").isEqualTo(2);
			assertThat(run.hasNext()).isFalse();
			assertThat(run.position()).isEqualTo(4);
		}
	}

	@Test
	void chainedWindowsDependOnTheirFirstItemsFirstItem() {
		try (Pipeline<Long, Long> pipeline = Pipeline.<Long>builder("chained")
			.then(StageSpec.window("first", 2, (List<Long> w) -> w.get(0)).batchSize(3))
			.then(StageSpec.window("second", 3, (List<Long> w) -> w.get(0)).runInMaster())
			.build(); PipelineRun<Long> run = pipeline.apply(LongStream.range(0, 8).boxed().toList())) {
			assertThat(run.next()).isEqualTo(0);
			// the next output is the window [1, 2, 3] of first's windows [1, 2], [2, 3], [3, 4]
			assertThat(run.position()).isEqualTo(1);
			assertThat(run.next()).isEqualTo(1);
			assertThat(run.position()).isEqualTo(2);
		}
	}

	@Test
	void aRunClosedEarlyKeepsThePositionOfWhatWasDelivered() {
		try (Pipeline<Long, Long> pipeline = Pipeline.<Long>builder("closed")
			.then(StageSpec.stateless("same", (Long x) -> x).batchSize(8))
			.build()) {
			PipelineRun<Long> run = pipeline.apply(LongStream.range(0, 100).boxed().toList());
			run.next();
			run.next();
			assertThat(run.hasNext()).isTrue();
			run.close();
			assertThat(run.position()).as("the output fetched at close was not delivered").isEqualTo(2);
			assertThat(run.hasNext()).isTrue();
			assertThat(run.next()).isEqualTo(2);
			assertThat(run.hasNext()).isFalse();
			assertThat(run.position()).isEqualTo(3);
		}
	}

	@Test
	void aRunThatFailedStaysAtTheInputItFailedOn() {
		for (boolean sequential : List.of(true, false)) {
			Pipeline.Builder<Long, Long> builder = Pipeline.<Long>builder("failed");
			if (sequential) {
				builder.sequential();
			}
			try (Pipeline<Long, Long> pipeline = builder
				.then(StageSpec.stateless("fails-at-5", (Long x) -> {
					if (x == 5) {
						throw new IOException("no 5");
					}
					return x;
				}).batchSize(4))
				.then(StageSpec.stateless("drop-odd", (Long x) -> (x % 2 == 1) ? null : x).batchSize(2))
				.build(); PipelineRun<Long> run = pipeline.apply(LongStream.range(0, 10).boxed().toList())) {
				assertThat(run.next()).isEqualTo(0);
				assertThat(run.next()).isEqualTo(2);
				assertThat(run.next()).isEqualTo(4);
				assertThatExceptionOfType(PipelineException.class).isThrownBy(run::hasNext);
				assertThat(run.position()).as(sequential ? "sequential" : "parallel").isEqualTo(5);
			}
		}
	}

	@Test
	void aRunWhoseInputFailedStaysAtTheInputItFailedToRead() {
		Iterable<Long> failing = () -> new Iterator<>() {

			private long next;

			@Override
			public boolean hasNext() {
				return true;
			}

			@Override
			public Long next() {
				if (this.next == 3) {
					throw new IllegalStateException("unreadable");
				}
				return this.next++;
			}

		};
		try (Pipeline<Long, Long> pipeline = Pipeline.<Long>builder("source-failed")
			.then(StageSpec.stateless("same", (Long x) -> x).batchSize(4))
			.build(); PipelineRun<Long> run = pipeline.apply(failing)) {
			assertThat(run.next()).isEqualTo(0);
			assertThat(run.next()).isEqualTo(1);
			assertThat(run.next()).isEqualTo(2);
			assertThatExceptionOfType(PipelineException.class).isThrownBy(run::hasNext);
			assertThat(run.position()).isEqualTo(3);
		}
	}

	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	void anotherThreadReadsThePositionTheConsumerPublished(boolean sequential) throws Exception {
		Pipeline.Builder<Long, Long> builder = sequential ? Pipeline.<Long>builder("published").sequential()
				: Pipeline.<Long>builder("published").nCpu(2);
		try (Pipeline<Long, Long> pipeline = builder.then(StageSpec.stateless("same", (Long x) -> x)).build();
				PipelineRun<Long> run = pipeline.apply(LongStream.range(0, 5_000).boxed().toList())) {
			assertThat(readOnAnotherThread(run)).as("nothing delivered").isZero();
			for (int i = 0; i < 2_048; i++) {
				run.next();
			}
			long published = readOnAnotherThread(run);
			assertThat(published).as("published at least every 1,024 pulls or inputs, never ahead of the consumer")
				.isBetween(2_048L - 1_025, 2_048L);
			run.next();
			assertThat(readOnAnotherThread(run)).as("lags until the consumer publishes").isBetween(published, 2_049L);
			assertThat(run.position()).isEqualTo(2_049);
			assertThat(readOnAnotherThread(run)).isEqualTo(2_049);
		}
	}

	private static long readOnAnotherThread(PipelineRun<Long> run) throws InterruptedException {
		AtomicLong read = new AtomicLong(-1);
		Thread reader = new Thread(() -> read.set(run.position()));
		reader.start();
		reader.join();
		return read.get();
	}

	/** A case whose stages keep no state (a stateful stage whose code keeps none is fine). */
	private static RandomCase drawWithoutState(Random random, String name) {
		while (true) {
			RandomCase randomCase = RandomCase.draw(random, name);
			if (!randomCase.keepsState()) {
				return randomCase;
			}
		}
	}

	/** The inputs with a null, which the source skips, in about one place in eight. */
	private static List<Long> withNulls(Random random, List<Long> inputs) {
		List<Long> withNulls = new ArrayList<>();
		for (Long input : inputs) {
			if (random.nextInt(8) == 0) {
				withNulls.add(null);
			}
			withNulls.add(input);
		}
		return withNulls;
	}

	private static List<Long> withNullAt(int length, int nullAt) {
		List<Long> inputs = new ArrayList<>(LongStream.range(0, length).boxed().toList());
		inputs.set(nullAt, null);
		return inputs;
	}

	/**
	 * The case's pipeline, each stage failing on about one input in thirteen, always the same
	 * ones, and skipping it.
	 */
	private static Pipeline<Long, Long> pipeline(RandomCase randomCase, long[] failingSalts, boolean sequential) {
		Pipeline.Builder<Long, Long> builder = Pipeline
			.<Long>builder("position-" + randomCase.name().replaceAll("[^A-Za-z0-9]+", "-"))
			.nCpu(randomCase.nCpu());
		if (sequential) {
			builder.sequential();
		}
		List<StageSpec<?, ?>> specs = new ArrayList<>();
		for (int i = 0; i < randomCase.recipes().size(); i++) {
			Recipe recipe = randomCase.recipes().get(i);
			Stage<Object, Long> stage = recipe.newStage(randomCase.jitter() && !sequential);
			long salt = failingSalts[i];
			Stage<Object, Long> failing = (input) -> {
				if (Math.floorMod(firstValue(input) * 7 + salt, 13) == 0) {
					throw new IOException("fails at " + input);
				}
				return stage.apply(input);
			};
			specs.add(recipe.spec("s" + i, failing).skipFailures());
		}
		return builder.<Long>thenAll(specs).build();
	}

	private static long firstValue(Object input) {
		return (input instanceof List<?> window) ? (Long) window.get(0) : (Long) input;
	}

	/** The inputs, counting the reads. */
	private static final class CountingInputs implements Iterable<Long> {

		final AtomicLong reads = new AtomicLong();

		private final List<Long> inputs;

		CountingInputs(List<Long> inputs) {
			this.inputs = inputs;
		}

		@Override
		public Iterator<Long> iterator() {
			Iterator<Long> iterator = this.inputs.iterator();
			return new Iterator<>() {

				@Override
				public boolean hasNext() {
					return iterator.hasNext();
				}

				@Override
				public Long next() {
					CountingInputs.this.reads.incrementAndGet();
					return iterator.next();
				}

			};
		}

	}

}
