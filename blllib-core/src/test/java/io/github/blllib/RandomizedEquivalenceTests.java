package io.github.blllib;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hundreds of random pipelines, fixed seeds: each must give exactly what the same pipeline
 * gives in sequential mode and what a plain re-statement of the seed's semantics gives. So must
 * a run that fails: the same outputs, then the same stage failing at the same input. A run
 * closed early, or whose consumer is interrupted, gives a prefix of them, and no stage call
 * outlives its end. With retry and skip policies and injected failures, a run gives the
 * no-failure outputs with the skipped items dropped at their stage, and their dead letters in
 * input order. Each case of a variant has a seed of its own, in its name and in every
 * assertion's description, so a failing case replays alone. Some stateless and window stages
 * are async: their calls run in {@code apply}, on the consumer, and their futures complete (or
 * fail) on the threads of a stand-in remote service, in whatever order those threads take.
 */
class RandomizedEquivalenceTests {

	private static final long MODULUS = 1_000_003;

	/**
	 * The threads that complete the async stages' futures, daemons never shut down: other test
	 * classes run {@link RandomCase}s too, before or after this one.
	 */
	private static final ScheduledExecutorService remote = Executors.newScheduledThreadPool(3, (task) -> {
		Thread thread = new Thread(task, "remote-service");
		thread.setDaemon(true);
		return thread;
	});

	@RegisterExtension
	final ConsumerThread consumer = new ConsumerThread();

	@ParameterizedTest(name = "seed {0}")
	@ValueSource(longs = { 1, 2, 3, 4, 5, 6 })
	void randomPipelinesMatchSequentialModeAndTheReference(long seed) {
		Random random = new Random(seed);
		for (int i = 0; i < 60; i++) {
			RandomCase randomCase = RandomCase.draw(random, "seed " + seed + " #" + i);

			List<Long> expected = reference(randomCase.recipes, randomCase.inputs);
			List<Long> sequential = randomCase.runToEnd(true);
			List<Long> parallel = randomCase.runToEnd(false);

			assertThat(sequential).as(randomCase.toString()).isEqualTo(expected);
			assertThat(parallel).as(randomCase.toString()).isEqualTo(expected);
		}
	}

	static LongStream failureCases() {
		return LongStream.range(1_000, 1_300);
	}

	@ParameterizedTest(name = "case {0}")
	@MethodSource("failureCases")
	void aFailingRandomPipelineDeliversWhatSequentialModeDeliversThenTheSameFailure(long seed) {
		Random random = new Random(seed);
		RandomCase randomCase = RandomCase.draw(random, "case " + seed);
		FailurePlan plan = FailurePlan.draw(random, randomCase);
		String description = randomCase + ", failing " + plan;

		Outcome sequential = runToFailure(randomCase, plan, true, description);
		Outcome parallel = runToFailure(randomCase, plan, false, description);

		assertThat(sequential.failure).as(description + ": a planned failure in sequential mode").isNotNull();
		assertThat(parallel.outputs).as(description).isEqualTo(sequential.outputs);
		assertThat(parallel.failureSummary()).as(description).isEqualTo(sequential.failureSummary());
	}

	/** Who closes a run, and when. */
	enum Closer {

		/** The consumer, after taking its outputs. */
		CONSUMER,

		/** Another thread, while the consumer keeps pulling. */
		OTHER_THREAD_WHILE_PULLING,

		/** Another thread, once the consumer is parked waiting for stages held at a gate. */
		OTHER_THREAD_WHILE_PARKED

	}

	static LongStream closeCases() {
		return LongStream.range(2_000, 2_240);
	}

	@ParameterizedTest(name = "case {0}")
	@MethodSource("closeCases")
	void aRandomPipelineClosedEarlyGaveAPrefixOfSequentialModesOutputsAndNoStageCallOutlivesTheClose(long seed)
			throws Exception {
		Random random = new Random(seed);
		RandomCase randomCase = RandomCase.draw(random, "case " + seed);
		List<Long> sequential = randomCase.runToEnd(true);
		int wanted = random.nextInt(sequential.size() + 2);
		Closer closer = Closer.values()[random.nextInt(Closer.values().length)];
		String description = randomCase + ", closed by " + closer + " after " + wanted + " of " + sequential.size();
		CallProbe probe = new CallProbe(FailurePlan.NONE);
		try (Pipeline<Long, Long> pipeline = randomCase.pipeline(false, probe)) {
			PipelineRun<Long> run = pipeline.apply(randomCase.inputs);
			Outcome outcome;
			int callsInFlightWhenClosed;
			if (closer == Closer.CONSUMER) {
				List<Long> outputs = new ArrayList<>();
				while (outputs.size() < wanted && run.hasNext()) {
					outputs.add(run.next());
				}
				callsInFlightWhenClosed = probe.close(run);
				assertThat(run.hasNext()).as(description + ": output after close").isFalse();
				outcome = new Outcome(outputs, null, 0);
			}
			else {
				Future<Outcome> pulling = pullInTheBackground(run, wanted, closer == Closer.OTHER_THREAD_WHILE_PARKED,
						probe);
				callsInFlightWhenClosed = probe.close(run);
				probe.openGate();
				outcome = pulling.get(30, TimeUnit.SECONDS);
			}

			assertThat(callsInFlightWhenClosed).as(description + ": stage calls running when close() returned")
				.isZero();
			assertThat(outcome.failureSummary()).as(description + ": how the consumer's run ended")
				.isEqualTo("no failure");
			assertThat(outcome.outputs).as(description)
				.hasSizeGreaterThanOrEqualTo(Math.min(wanted, sequential.size()));
			assertPrefix(outcome.outputs, sequential, description);
			assertThat(pipeline.hasOpenRun()).as(description + ": open run after close").isFalse();
			Threads.assertRunThreadsReleased(pipeline);
			assertThat(probe.callsStartedAfterClose).as(description + ": stage calls begun after close() returned")
				.hasValue(0);
			assertThat(probe.callsInFlight).as(description + ": stage calls running after close() returned")
				.hasValue(0);

			probe.closeReturned = false;
			List<Long> again = StageKindsTests.drain(pipeline.apply(randomCase.inputs));
			if (!randomCase.keepsState()) {
				assertThat(again).as(description + ": the run after close").isEqualTo(sequential);
			}
		}
		finally {
			probe.openGate();
		}
	}

	static LongStream interruptCases() {
		return LongStream.range(3_000, 3_240);
	}

	@ParameterizedTest(name = "case {0}")
	@MethodSource("interruptCases")
	void aRandomPipelineWhoseConsumerIsInterruptedGaveAPrefixOfSequentialModesOutputsThenAConsumerFailure(long seed)
			throws Exception {
		Random random = new Random(seed);
		RandomCase randomCase = RandomCase.draw(random, "case " + seed);
		List<Long> sequential = randomCase.runToEnd(true);
		int wanted = random.nextInt(sequential.size() + 2);
		boolean whileParked = random.nextBoolean();
		String description = randomCase + ", consumer interrupted " + (whileParked ? "while parked" : "while pulling")
				+ " after " + wanted + " of " + sequential.size();
		CallProbe probe = new CallProbe(FailurePlan.NONE);
		try (Pipeline<Long, Long> pipeline = randomCase.pipeline(false, probe)) {
			Future<Outcome> pulling = pullInTheBackground(pipeline.apply(randomCase.inputs), wanted, whileParked,
					probe);
			this.consumer.interrupt();
			Outcome outcome = pulling.get(30, TimeUnit.SECONDS);

			if (outcome.failure == null) {
				assertThat(outcome.outputs).as(description + ": a run that ended before the interrupt")
					.isEqualTo(sequential);
			}
			else {
				assertThat(outcome.failure.stage()).as(description + ": " + outcome.failureSummary())
					.isEqualTo("consumer");
				assertThat(outcome.failure).as(description).hasCauseInstanceOf(InterruptedException.class);
				assertThat(outcome.callsInFlightAtEnd)
					.as(description + ": stage calls running when the failure arrived")
					.isZero();
				assertPrefix(outcome.outputs, sequential, description);
			}
			assertThat(pipeline.hasOpenRun()).as(description + ": open run after the interrupt").isFalse();
			Threads.assertRunThreadsReleased(pipeline);
			assertThat(probe.callsInFlight).as(description + ": stage calls running after the run ended").hasValue(0);
		}
		finally {
			probe.openGate();
		}
	}

	static LongStream policyCases() {
		return LongStream.range(4_000, 4_300);
	}

	@ParameterizedTest(name = "case {0}")
	@MethodSource("policyCases")
	void aRandomPipelineWithRetriedAndSkippedFailuresGivesTheReferenceOutputsWithoutTheSkippedItems(long seed) {
		Random random = new Random(seed);
		RandomCase randomCase = RandomCase.draw(random, "case " + seed);
		PolicyPlan plan = PolicyPlan.draw(random, randomCase);
		String description = randomCase + ", policies " + plan;

		for (boolean sequential : List.of(true, false)) {
			String mode = description + (sequential ? " (sequential)" : " (parallel)");
			PolicyOutcome outcome = runWithPolicies(randomCase, plan, sequential, mode);
			assertThat(outcome.outputs).as(mode).isEqualTo(plan.expectedOutputs);
			assertThat(outcome.deadLetters).as(mode + ": dead letters by stage, in input order")
				.isEqualTo(plan.expectedDeadLetters);
			assertThat(outcome.skipped).as(mode + ": skipped by stage").isEqualTo(plan.expectedSkipped());
			assertThat(outcome.retries).as(mode + ": retries by stage").isEqualTo(plan.expectedRetries);
		}
	}

	/**
	 * Runs a case with the stage policies and injected failures of {@code plan}; the dead letters
	 * must carry their stage's attempts and, per stage, rising indexes.
	 */
	private static PolicyOutcome runWithPolicies(RandomCase randomCase, PolicyPlan plan, boolean sequential,
			String description) {
		List<FailedItem> deadLetters = new CopyOnWriteArrayList<>();
		Pipeline.Builder<Long, Long> builder = Pipeline
			.<Long>builder("policy-" + randomCase.name.replaceAll("[^A-Za-z0-9]+", "-"))
			.nCpu(randomCase.nCpu)
			.deadLetters(deadLetters::add);
		if (sequential) {
			builder.sequential();
		}
		List<StageSpec<?, ?>> specs = new ArrayList<>();
		for (int i = 0; i < randomCase.recipes.size(); i++) {
			Recipe recipe = randomCase.recipes.get(i);
			StagePolicy policy = plan.stages.get(i);
			Stage<Object, Long> stage = policy.inject("s" + i, recipe.newStage(randomCase.jitter && !sequential));
			specs.add(policy.applyTo(recipe.spec("s" + i, stage)));
		}
		try (Pipeline<Long, Long> pipeline = builder.<Long>thenAll(specs).build()) {
			List<Long> outputs = StageKindsTests.drain(pipeline.apply(randomCase.inputs));
			Map<String, Long> skipped = new TreeMap<>();
			Map<String, Long> retries = new TreeMap<>();
			for (StageStatistics statistics : pipeline.statistics()) {
				skipped.put(statistics.stage(), statistics.skipped());
				retries.put(statistics.stage(), statistics.retries());
			}
			Map<String, List<Object>> inputsByStage = new TreeMap<>();
			for (int i = 0; i < randomCase.recipes.size(); i++) {
				String stage = "s" + i;
				List<FailedItem> items = deadLetters.stream().filter((item) -> item.stage().equals(stage)).toList();
				inputsByStage.put(stage, items.stream().map(FailedItem::input).toList());
				int attempts = plan.stages.get(i).maxRetries + 1;
				assertThat(items).as(description + ": attempts of the dead letters of " + stage)
					.allSatisfy((item) -> assertThat(item.attempts()).isEqualTo(attempts));
				assertThat(items).extracting(FailedItem::index)
					.as(description + ": indexes of the dead letters of " + stage)
					.isSortedAccordingTo(Long::compare)
					.doesNotHaveDuplicates();
			}
			Threads.assertRunThreadsReleased(pipeline);
			return new PolicyOutcome(outputs, inputsByStage, skipped, retries);
		}
	}

	/** What a run with failure policies gave: outputs, dead-letter inputs and figures, by stage. */
	record PolicyOutcome(List<Long> outputs, Map<String, List<Object>> deadLetters, Map<String, Long> skipped,
			Map<String, Long> retries) {
	}

	/**
	 * A stage's failure policy and its injected failures: each of the {@code flaky} inputs fails
	 * at its first call only (so a retry gives the no-failure output), each of the {@code failing}
	 * ones at every call (so it is skipped); both throw before the stage sees the input, so a
	 * stateful stage's state is as if the failed call never happened.
	 */
	record StagePolicy(int maxRetries, Duration delay, boolean skip, long skipLimit, Set<Object> flaky,
			Set<Object> failing) {

		static final long NO_LIMIT = -1;

		Stage<Object, Long> inject(String name, Stage<Object, Long> stage) {
			Set<Object> failedOnce = ConcurrentHashMap.newKeySet();
			return (input) -> {
				if (this.failing.contains(input)) {
					throw new IOException(name + " always fails at " + input);
				}
				if (this.flaky.contains(input) && failedOnce.add(input)) {
					throw new IllegalStateException(name + " fails once at " + input);
				}
				return stage.apply(input);
			};
		}

		StageSpec<?, ?> applyTo(StageSpec<?, ?> spec) {
			StageSpec<?, ?> result = spec;
			if (this.maxRetries > 0) {
				result = result.retry(Retry.maxRetries(this.maxRetries).delay(this.delay));
			}
			if (this.skip) {
				result = result.skipFailures();
			}
			if (this.skipLimit != NO_LIMIT) {
				result = result.skipLimit(this.skipLimit);
			}
			return result;
		}

		@Override
		public String toString() {
			return ((this.maxRetries > 0) ? "retry " + this.maxRetries + " after " + this.delay.toMillis() + " ms" : "")
					+ (this.skip ? " skip" : "") + ((this.skipLimit != NO_LIMIT) ? " limit " + this.skipLimit : "")
					+ " flaky " + this.flaky + " failing " + this.failing;
		}

	}

	/**
	 * The policies of every stage of a case, drawn stage by stage over the items a stage gets once
	 * the earlier stages skipped theirs, and what the case must then give: the seed's semantics
	 * re-stated with each failing input dropped at its stage.
	 */
	record PolicyPlan(List<StagePolicy> stages, List<Long> expectedOutputs,
			Map<String, List<Object>> expectedDeadLetters, Map<String, Long> expectedRetries) {

		static PolicyPlan draw(Random random, RandomCase randomCase) {
			List<StagePolicy> policies = new ArrayList<>();
			Map<String, List<Object>> deadLetters = new TreeMap<>();
			Map<String, Long> retries = new TreeMap<>();
			List<Long> items = randomCase.inputs;
			for (int i = 0; i < randomCase.recipes.size(); i++) {
				Recipe recipe = randomCase.recipes.get(i);
				List<Object> stageInputs = stageInputs(recipe, items);
				int kind = random.nextInt(4);
				boolean retry = kind == 1 || kind == 3;
				boolean skip = kind >= 2;
				double share = List.of(0.02, 0.1, 0.3).get(random.nextInt(3));
				Set<Object> flaky = new HashSet<>();
				Set<Object> failing = new HashSet<>();
				for (Object input : new LinkedHashSet<>(stageInputs)) {
					if ((retry || skip) && random.nextDouble() < share) {
						boolean once = retry && (!skip || random.nextBoolean());
						(once ? flaky : failing).add(input);
					}
				}
				int maxRetries = retry ? 1 + random.nextInt(3) : 0;
				Duration delay = (retry && flaky.size() + failing.size() <= 4 && random.nextBoolean())
						? Duration.ofMillis(1) : Duration.ZERO;

				Stage<Object, Long> stage = recipe.newStage(false);
				List<Long> outputs = new ArrayList<>();
				List<Object> skipped = new ArrayList<>();
				for (Object input : stageInputs) {
					if (failing.contains(input)) {
						skipped.add(input);
						continue;
					}
					try {
						Long output = stage.apply(input);
						if (output != null) {
							outputs.add(output);
						}
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
				}
				long skipLimit = (skip && random.nextInt(3) == 0) ? skipped.size() + random.nextInt(3)
						: StagePolicy.NO_LIMIT;
				policies.add(new StagePolicy(maxRetries, delay, skip, skipLimit, flaky, failing));
				deadLetters.put("s" + i, skipped);
				retries.put("s" + i, (long) flaky.size() + (long) skipped.size() * maxRetries);
				items = outputs;
			}
			return new PolicyPlan(policies, items, deadLetters, retries);
		}

		Map<String, Long> expectedSkipped() {
			Map<String, Long> skipped = new TreeMap<>();
			this.expectedDeadLetters.forEach((stage, items) -> skipped.put(stage, (long) items.size()));
			return skipped;
		}

		@Override
		public String toString() {
			return this.stages.toString();
		}

	}

	/**
	 * Pulls a run on the consumer thread, taking every output it can; once it took {@code wanted}
	 * outputs (or the run ended first), it shuts the probe's gate when asked and lets the test go
	 * on, and the test waits until it is parked waiting for output when the gate was shut.
	 */
	private Future<Outcome> pullInTheBackground(PipelineRun<Long> run, int wanted, boolean thenPark, CallProbe probe)
			throws InterruptedException {
		CountDownLatch tookWanted = new CountDownLatch(1);
		Future<Outcome> outcome = this.consumer.submit(() -> {
			probe.consumer = Thread.currentThread();
			List<Long> outputs = new ArrayList<>();
			try {
				while (true) {
					if (outputs.size() == wanted) {
						if (thenPark) {
							probe.shutGate();
						}
						tookWanted.countDown();
					}
					if (!run.hasNext()) {
						return new Outcome(outputs, null, probe.callsInFlight.get());
					}
					outputs.add(run.next());
				}
			}
			catch (PipelineException ex) {
				return new Outcome(outputs, ex, probe.callsInFlight.get());
			}
			finally {
				tookWanted.countDown();
			}
		});
		assertThat(tookWanted.await(30, TimeUnit.SECONDS)).as("the consumer took its outputs").isTrue();
		if (thenPark) {
			await().atMost(Duration.ofSeconds(30))
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(1))
				.until(() -> outcome.isDone() || isParkedWaitingForOutput(probe.consumer));
		}
		return outcome;
	}

	/** Whether the consumer is parked by the run, waiting for output, rather than by a stage it runs. */
	private static boolean isParkedWaitingForOutput(Thread consumer) {
		Thread.State state = consumer.getState();
		if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
			return false;
		}
		for (StackTraceElement frame : consumer.getStackTrace()) {
			String className = frame.getClassName();
			if (!className.startsWith("java.") && !className.startsWith("jdk.")) {
				return !className.startsWith(RandomizedEquivalenceTests.class.getName());
			}
		}
		return false;
	}

	private static void assertPrefix(List<Long> outputs, List<Long> sequential, String description) {
		assertThat(outputs.size()).as(description + ": outputs taken, at most sequential mode's")
			.isLessThanOrEqualTo(sequential.size());
		assertThat(outputs).as(description + ": a prefix of sequential mode's outputs")
			.isEqualTo(sequential.subList(0, outputs.size()));
	}

	/**
	 * Consumes a run whose stages or input fail as planned; the run must be closed and its stage
	 * calls ended when the failure reaches the consumer, and its threads released soon after.
	 */
	private static Outcome runToFailure(RandomCase randomCase, FailurePlan plan, boolean sequential,
			String description) {
		CallProbe probe = new CallProbe(plan);
		try (Pipeline<Long, Long> pipeline = randomCase.pipeline(sequential, probe)) {
			Outcome outcome = Outcome.consume(pipeline.apply(plan.inputs(randomCase.inputs)), probe);
			String mode = description + (sequential ? " (sequential)" : " (parallel)");
			assertThat(outcome.callsInFlightAtEnd).as(mode + ": stage calls running when the failure arrived").isZero();
			assertThat(pipeline.hasOpenRun()).as(mode + ": open run after the failure").isFalse();
			Threads.assertRunThreadsReleased(pipeline);
			return outcome;
		}
	}

	/** The items entering each stage, then the outputs: the seed's semantics re-stated plainly over lists. */
	private static List<List<Long>> trace(List<Recipe> recipes, List<Long> inputs) {
		List<List<Long>> trace = new ArrayList<>();
		List<Long> items = inputs;
		trace.add(items);
		for (Recipe recipe : recipes) {
			Stage<Object, Long> stage = recipe.newStage(false);
			List<Long> outputs = new ArrayList<>();
			for (Object input : stageInputs(recipe, items)) {
				try {
					Long output = stage.apply(input);
					if (output != null) {
						outputs.add(output);
					}
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}
			items = outputs;
			trace.add(items);
		}
		return trace;
	}

	private static List<Long> reference(List<Recipe> recipes, List<Long> inputs) {
		List<List<Long>> trace = trace(recipes, inputs);
		return trace.get(trace.size() - 1);
	}

	/** What a stage is called with, given the items that enter it: those items or their windows. */
	private static List<Object> stageInputs(Recipe recipe, List<Long> items) {
		List<Object> stageInputs = new ArrayList<>();
		if (recipe.window > 0) {
			for (int i = 0; i + recipe.window <= items.size(); i++) {
				stageInputs.add(List.copyOf(items.subList(i, i + recipe.window)));
			}
		}
		else {
			stageInputs.addAll(items);
		}
		return stageInputs;
	}

	private static List<Recipe> randomRecipes(Random random) {
		int count = 1 + random.nextInt(5);
		List<Recipe> recipes = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Function function = Function.values()[random.nextInt(Function.values().length)];
			int window = (function == Function.WINDOW_SPREAD) ? 1 + random.nextInt(4) : 0;
			StageKind kind = switch (function) {
				case ACCUMULATE -> StageKind.STATEFUL;
				case WINDOW_SPREAD -> StageKind.WINDOW;
				default -> random.nextBoolean() ? StageKind.STATELESS : StageKind.STATEFUL;
			};
			int batchSize = (random.nextInt(5) == 0) ? 16 + random.nextInt(300) : 1 + random.nextInt(8);
			boolean inMaster = random.nextInt(5) == 0;
			recipes.add(new Recipe(function, kind, window, batchSize, inMaster, random.nextLong()));
		}
		return recipes;
	}

	private static List<Long> randomInputs(Random random) {
		int length = switch (random.nextInt(6)) {
			case 0 -> 0;
			case 1 -> 1;
			case 2 -> 2 + random.nextInt(3);
			default -> random.nextInt(400);
		};
		return LongStream.range(0, length).map((i) -> random.nextInt(1000)).boxed().toList();
	}

	/** One random pipeline over one random input, with the n-cpu and jitter of its parallel runs. */
	record RandomCase(String name, List<Recipe> recipes, List<Long> inputs, int nCpu, boolean jitter) {

		static RandomCase draw(Random random, String name) {
			List<Recipe> recipes = randomRecipes(random);
			List<Long> inputs = randomInputs(random);
			int nCpu = 1 + random.nextInt(4);
			boolean jitter = random.nextInt(4) == 0;
			return new RandomCase(name, recipes, inputs, nCpu, jitter);
		}

		/** The pipeline of this case; each stage call watched by {@code probe}, when given. */
		Pipeline<Long, Long> pipeline(boolean sequential, CallProbe probe) {
			Pipeline.Builder<Long, Long> builder = Pipeline.<Long>builder("random-" + this.name.replaceAll("[^A-Za-z0-9]+", "-"))
				.nCpu(this.nCpu);
			if (sequential) {
				builder.sequential();
			}
			List<StageSpec<?, ?>> specs = new ArrayList<>();
			for (int i = 0; i < this.recipes.size(); i++) {
				String stageName = "s" + i;
				Stage<Object, Long> stage = this.recipes.get(i).newStage(this.jitter && !sequential);
				specs.add(this.recipes.get(i).spec(stageName, (probe != null) ? probe.watch(stageName, stage) : stage));
			}
			return builder.<Long>thenAll(specs).build();
		}

		/** Whether a stage keeps state from run to run, so that a second run gives other outputs. */
		boolean keepsState() {
			return this.recipes.stream().anyMatch((recipe) -> recipe.function == Function.ACCUMULATE);
		}

		List<Long> runToEnd(boolean sequential) {
			try (Pipeline<Long, Long> pipeline = pipeline(sequential, null)) {
				return StageKindsTests.drain(pipeline.apply(this.inputs));
			}
		}

		@Override
		public String toString() {
			return this.name + " nCpu " + this.nCpu + (this.jitter ? " jitter " : " ") + this.recipes + " over "
					+ this.inputs.size();
		}

	}

	/** How a planned failure is thrown: the kinds a stage or an input iterator may throw. */
	enum FailureKind {

		UNCHECKED, CHECKED, ERROR;

		Throwable create(String message) {
			return switch (this) {
				case UNCHECKED -> new IllegalStateException(message);
				case CHECKED -> new IOException(message);
				case ERROR -> new PlannedError(message);
			};
		}

	}

	static final class PlannedError extends Error {

		private static final long serialVersionUID = 1L;

		PlannedError(String message) {
			super(message);
		}

	}

	/** A stage input at which a stage fails, every time it is called with it. */
	record StageFailure(Object input, FailureKind kind) {
	}

	/**
	 * Where a case fails: one or two places, each a stage failing at one of the inputs it gets in
	 * sequential mode, or the input iterator failing when asked for the item at
	 * {@code sourcePosition} (-1 when it does not fail), from {@code hasNext()} or {@code next()}.
	 */
	record FailurePlan(Map<String, StageFailure> stages, int sourcePosition, boolean sourceFailsInHasNext,
			FailureKind sourceKind) {

		static final FailurePlan NONE = new FailurePlan(Map.of(), -1, false, FailureKind.UNCHECKED);

		static FailurePlan draw(Random random, RandomCase randomCase) {
			List<List<Long>> trace = trace(randomCase.recipes, randomCase.inputs);
			List<Integer> places = new ArrayList<>();
			places.add(-1);
			for (int i = 0; i < randomCase.recipes.size(); i++) {
				if (!stageInputs(randomCase.recipes.get(i), trace.get(i)).isEmpty()) {
					places.add(i);
				}
			}
			int count = Math.min(places.size(), 1 + random.nextInt(2));
			Map<String, StageFailure> stages = new TreeMap<>();
			int sourcePosition = -1;
			for (int i = 0; i < count; i++) {
				int place = places.remove(random.nextInt(places.size()));
				FailureKind kind = FailureKind.values()[random.nextInt(FailureKind.values().length)];
				if (place < 0) {
					sourcePosition = random.nextInt(randomCase.inputs.size() + 1);
				}
				else {
					List<Object> inputs = stageInputs(randomCase.recipes.get(place), trace.get(place));
					stages.put("s" + place, new StageFailure(inputs.get(random.nextInt(inputs.size())), kind));
				}
			}
			return new FailurePlan(stages, sourcePosition, random.nextBoolean(),
					FailureKind.values()[random.nextInt(FailureKind.values().length)]);
		}

		Iterable<Long> inputs(List<Long> items) {
			return (this.sourcePosition < 0) ? items : new FailingInputs(items, this);
		}

		@Override
		public String toString() {
			String stages = this.stages.entrySet()
				.stream()
				.map((entry) -> entry.getKey() + " at " + entry.getValue().input + " (" + entry.getValue().kind + ")")
				.collect(Collectors.joining(", "));
			String source = (this.sourcePosition < 0) ? ""
					: "source at #" + this.sourcePosition + " in " + (this.sourceFailsInHasNext ? "hasNext" : "next")
							+ " (" + this.sourceKind + ")";
			return (stages.isEmpty() || source.isEmpty()) ? stages + source : stages + ", " + source;
		}

	}

	/** The items of a case, read through an iterator that fails as planned. */
	private record FailingInputs(List<Long> items, FailurePlan plan) implements Iterable<Long> {

		@Override
		public Iterator<Long> iterator() {
			Iterator<Long> items = this.items.iterator();
			int position = this.plan.sourcePosition;
			return new Iterator<>() {

				private int read;

				@Override
				public boolean hasNext() {
					if (this.read == position && FailingInputs.this.plan.sourceFailsInHasNext) {
						throw fail();
					}
					return this.read == position || items.hasNext();
				}

				@Override
				public Long next() {
					if (this.read == position) {
						throw fail();
					}
					this.read++;
					return items.next();
				}

				private RuntimeException fail() {
					return FailureOrderTests.<RuntimeException>sneaky(
							FailingInputs.this.plan.sourceKind.create("input fails at #" + position));
				}

			};
		}

	}

	/**
	 * Watches the stage calls of one case: counts the calls in flight and those begun after the
	 * run's close() returned, holds calls off the consumer thread at a gate while it is shut, and
	 * fails the calls the plan says should fail.
	 */
	static final class CallProbe {

		final AtomicInteger callsInFlight = new AtomicInteger();

		final AtomicInteger callsStartedAfterClose = new AtomicInteger();

		/** Set once the run's close() returned. */
		volatile boolean closeReturned;

		/** The thread that consumes the run, when not the test's. */
		volatile Thread consumer;

		private volatile boolean gateShut;

		private final CountDownLatch gateOpened = new CountDownLatch(1);

		private final FailurePlan plan;

		CallProbe(FailurePlan plan) {
			this.plan = plan;
		}

		/** From now on, calls off the consumer thread wait until the gate opens or they are interrupted. */
		void shutGate() {
			this.gateShut = true;
		}

		void openGate() {
			this.gateShut = false;
			this.gateOpened.countDown();
		}

		/** Closes the run; the calls in flight when close() returned. */
		int close(PipelineRun<?> run) {
			run.close();
			int inFlight = this.callsInFlight.get();
			this.closeReturned = true;
			return inFlight;
		}

		Stage<Object, Long> watch(String name, Stage<Object, Long> stage) {
			StageFailure failure = this.plan.stages.get(name);
			return (input) -> {
				if (this.closeReturned) {
					this.callsStartedAfterClose.incrementAndGet();
				}
				this.callsInFlight.incrementAndGet();
				try {
					if (this.gateShut && Thread.currentThread() != this.consumer) {
						this.gateOpened.await();
					}
					if (failure != null && failure.input.equals(input)) {
						throw FailureOrderTests.<RuntimeException>sneaky(
								failure.kind.create(name + " fails at " + input));
					}
					return stage.apply(input);
				}
				finally {
					this.callsInFlight.decrementAndGet();
				}
			};
		}

	}

	/** What a consumer saw of a run: the outputs it took, then the failure that ended it, if any. */
	record Outcome(List<Long> outputs, PipelineException failure, int callsInFlightAtEnd) {

		/** Pulls the run to its end or its failure, on this thread. */
		static Outcome consume(PipelineRun<Long> run, CallProbe probe) {
			List<Long> outputs = new ArrayList<>();
			try {
				while (run.hasNext()) {
					outputs.add(run.next());
				}
				return new Outcome(outputs, null, probe.callsInFlight.get());
			}
			catch (PipelineException ex) {
				return new Outcome(outputs, ex, probe.callsInFlight.get());
			}
		}

		String failureSummary() {
			if (this.failure == null) {
				return "no failure";
			}
			Throwable cause = this.failure.getCause();
			return "stage " + this.failure.stage() + " at #" + this.failure.index() + ": "
					+ ((cause != null) ? cause.getClass().getSimpleName() + " " + cause.getMessage() : "no cause");
		}

	}

	enum Function {

		AFFINE, DROP_SOME, ACCUMULATE, WINDOW_SPREAD

	}

	record Recipe(Function function, StageKind kind, int window, int batchSize, boolean inMaster, long salt) {

		@SuppressWarnings("unchecked")
		Stage<Object, Long> newStage(boolean jitter) {
			Stage<Object, Long> stage = switch (this.function) {
				case AFFINE -> (x) -> (((Long) x) * 31 + this.salt % 97) % MODULUS;
				case DROP_SOME -> (x) -> (((Long) x) % 3 == Math.floorMod(this.salt, 3)) ? null : (Long) x;
				case ACCUMULATE -> new Stage<>() {
					private long sum;

					@Override
					public Long apply(Object x) {
						this.sum = (this.sum + (Long) x) % MODULUS;
						return this.sum;
					}
				};
				case WINDOW_SPREAD -> (w) -> {
					List<Long> window = (List<Long>) w;
					long spread = window.get(window.size() - 1) - window.get(0);
					return (spread % 7 == 0 && window.size() > 1) ? null : Math.floorMod(spread * 13 + window.size(), MODULUS);
				};
			};
			if (!jitter) {
				return stage;
			}
			return (x) -> {
				LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(50_000));
				return stage.apply(x);
			};
		}

		/**
		 * Whether the stage is async: a quarter of the stateless and window stages not run in
		 * master, drawn from bits of the salt that the functions do not use, so that every case
		 * drawn before async stages existed still is.
		 */
		boolean async() {
			return this.kind != StageKind.STATEFUL && !this.inMaster && Math.floorMod(this.salt >>> 40, 4) == 0;
		}

		@SuppressWarnings({ "unchecked", "rawtypes" })
		StageSpec<?, ?> spec(String name, Stage<Object, Long> stage) {
			if (async()) {
				AsyncStage<Object, Long> call = (input) -> completeRemotely(stage, input);
				StageSpec<?, ?> spec = (this.kind == StageKind.WINDOW) ? StageSpec.asyncWindow(name, this.window, (AsyncStage) call)
						: StageSpec.async(name, call);
				return spec.batchSize(this.batchSize);
			}
			StageSpec<?, ?> spec = switch (this.kind) {
				case STATEFUL -> StageSpec.stateful(name, stage);
				case STATELESS -> StageSpec.stateless(name, stage);
				case WINDOW -> StageSpec.window(name, this.window, (Stage) stage);
			};
			spec = spec.batchSize(this.batchSize);
			return this.inMaster ? spec.runInMaster() : spec;
		}

		/**
		 * Calls the stage now and completes the future with its output or failure on a remote
		 * thread, after up to 30 µs, or at once.
		 */
		private static CompletableFuture<Long> completeRemotely(Stage<Object, Long> stage, Object input) {
			CompletableFuture<Long> future = new CompletableFuture<>();
			Runnable complete;
			try {
				Long output = stage.apply(input);
				complete = () -> future.complete(output);
			}
			catch (Throwable ex) {
				complete = () -> future.completeExceptionally(ex);
			}
			int delay = ThreadLocalRandom.current().nextInt(40);
			if (delay < 10) {
				complete.run();
			}
			else {
				remote.schedule(complete, delay - 10, TimeUnit.MICROSECONDS);
			}
			return future;
		}

		@Override
		public String toString() {
			return this.function + "/" + this.kind + (async() ? "/async" : "") + (this.window > 0 ? "(" + this.window + ")" : "") + "/b"
					+ this.batchSize + (this.inMaster ? "/master" : "");
		}

	}

}
