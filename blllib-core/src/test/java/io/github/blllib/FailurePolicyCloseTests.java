package io.github.blllib;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A close while a call's deadline is still armed, for every kind of stage that has timeouts:
 * once the close returns no stage call starts, and the deadline passing later changes nothing
 * for the closed run (no dead letter, no timeout or skip counted, nothing thrown), with no
 * thread left behind; a call that ignores the interrupt does not hold up a bounded close, and
 * its late completion is discarded.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FailurePolicyCloseTests {

	/**
	 * The deadline of the blocked call: far enough off that the close, a few steps after the
	 * call began, comes first.
	 */
	private static final Duration TIMEOUT = Duration.ofMillis(500);

	private static final String NOTHING_COUNTED = "timeouts 0, skipped 0, retries 0";

	/** The input whose call blocks. */
	private static final int BLOCKED = 2;

	@RegisterExtension
	final ConsumerThread consumer = new ConsumerThread();

	private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();

	private Thread.UncaughtExceptionHandler defaultHandler;

	/** The kinds of stage that may have a timeout; each blocks on the input {@link #BLOCKED}. */
	enum Kind {

		STATELESS((stage) -> StageSpec.stateless("timed", stage).batchSize(4)),

		WINDOW((stage) -> StageSpec.window("timed", 2, (List<Integer> w) -> stage.apply(w.get(1))).batchSize(4)),

		STATEFUL((stage) -> StageSpec.stateful("timed", stage).batchSize(4));

		private final Function<Stage<Integer, Integer>, StageSpec<Integer, Integer>> base;

		Kind(Function<Stage<Integer, Integer>, StageSpec<Integer, Integer>> base) {
			this.base = base;
		}

		/** The stage with a policy that would retry, skip and time out the blocked call. */
		StageSpec<Integer, Integer> spec(Stage<Integer, Integer> stage) {
			return this.base.apply(stage).timeout(TIMEOUT).retry(Retry.maxRetries(2)).skipFailures();
		}

	}

	/** What is closed while the call blocks. */
	enum Closed {

		RUN, PIPELINE

	}

	static Stream<Arguments> kindsAndClosers() {
		return Stream.of(Kind.values())
			.flatMap((kind) -> Stream.of(Closed.values()).map((closed) -> Arguments.of(kind, closed)));
	}

	@BeforeEach
	void captureUncaughtExceptions() {
		this.defaultHandler = Thread.getDefaultUncaughtExceptionHandler();
		Thread.setDefaultUncaughtExceptionHandler((thread, ex) -> this.uncaught.add(ex));
	}

	@AfterEach
	void restoreUncaughtExceptionHandler() {
		Thread.setDefaultUncaughtExceptionHandler(this.defaultHandler);
	}

	@ParameterizedTest
	@MethodSource("kindsAndClosers")
	void aCloseWithATimeoutArmedLeavesNoCallToRunAndNothingToCountAfterIt(Kind kind, Closed closed)
			throws Exception {
		AtomicInteger calls = new AtomicInteger();
		CountDownLatch blocked = new CountDownLatch(1);
		CountDownLatch never = new CountDownLatch(1);
		List<FailedItem> deadLetters = new CopyOnWriteArrayList<>();
		Stage<Integer, Integer> stage = (x) -> {
			calls.incrementAndGet();
			if (x == BLOCKED) {
				blocked.countDown();
				never.await();
			}
			return x;
		};
		try (Pipeline<Integer, Integer> pipeline = pipeline(kind, stage, deadLetters)) {
			PipelineRun<Integer> run = pipeline.apply(StageKindsTests.range(6));
			Future<List<Integer>> outputs = this.consumer.submit(() -> StageKindsTests.drain(run));
			assertThat(blocked.await(30, TimeUnit.SECONDS)).isTrue();
			if (closed == Closed.RUN) {
				run.close();
			}
			else {
				pipeline.close();
			}
			int callsAtClose = calls.get();
			assertThat(pipeline.runningCalls()).isEmpty();
			assertThat(outputs.get(10, TimeUnit.SECONDS)).doesNotContain(BLOCKED).isSubsetOf(0, 1);
			if (closed == Closed.RUN) {
				Threads.assertRunThreadsReleased(pipeline);
			}
			else {
				Threads.assertNoBlllibThreadAlive();
			}
			// the deadline falls due while this waits: the closed run must hear nothing of it
			StageStatistics statistics = pipeline.statistics().get(0);
			Awaitility.await()
				.during(TIMEOUT.multipliedBy(2))
				.atMost(TIMEOUT.multipliedBy(10))
				.untilAsserted(() -> {
					assertThat(calls.get()).as("calls").isEqualTo(callsAtClose);
					assertThat(policyFigures(statistics)).isEqualTo(NOTHING_COUNTED);
					assertThat(deadLetters).as("dead letters").isEmpty();
					assertThat(this.uncaught).as("uncaught exceptions").isEmpty();
				});
			assertThat(pipeline.hasOpenRun()).isFalse();
		}
		assertThat(this.uncaught).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void aBoundedCloseReturnsWhileACallIgnoresTheInterruptAndItsLateCompletionIsDiscarded(Kind kind)
			throws Exception {
		AtomicInteger calls = new AtomicInteger();
		CountDownLatch blocked = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger interrupts = new AtomicInteger();
		// the close interrupts the call first, the deadline second
		CountDownLatch deadlinePassed = new CountDownLatch(1);
		List<FailedItem> deadLetters = new CopyOnWriteArrayList<>();
		Stage<Integer, Integer> stage = (x) -> {
			calls.incrementAndGet();
			if (x == BLOCKED) {
				blocked.countDown();
				while (release.getCount() > 0) {
					try {
						release.await();
					}
					catch (InterruptedException ignored) {
						if (interrupts.incrementAndGet() == 2) {
							deadlinePassed.countDown();
						}
					}
				}
			}
			return x;
		};
		Pipeline<Integer, Integer> pipeline = pipeline(kind, stage, deadLetters);
		try {
			PipelineRun<Integer> run = pipeline.apply(StageKindsTests.range(6));
			Future<List<Integer>> outputs = this.consumer.submit(() -> StageKindsTests.drain(run));
			assertThat(blocked.await(30, TimeUnit.SECONDS)).isTrue();
			assertThat(pipeline.close(Duration.ofMillis(100))).as("closed while a call ignores its interrupt").isFalse();
			assertThat(pipeline.runningCalls()).extracting(StageCall::index).containsExactly(calledIndex(kind));
			int callsAtClose = calls.get();
			StageStatistics statistics = pipeline.statistics().get(0);
			long succeededAtClose = statistics.succeeded();
			assertThat(deadlinePassed.await(30, TimeUnit.SECONDS)).as("the deadline interrupted the call").isTrue();
			release.countDown();
			// the consumer's pull ends once the close has released the run
			assertThat(outputs.get(10, TimeUnit.SECONDS)).doesNotContain(BLOCKED).isSubsetOf(0, 1);
			Threads.assertNoBlllibThreadAlive();
			assertThat(pipeline.hasOpenRun()).isFalse();
			assertThat(pipeline.runningCalls()).isEmpty();
			assertThat(calls.get()).isEqualTo(callsAtClose);
			assertThat(statistics.succeeded()).as("the late output is not counted").isEqualTo(succeededAtClose);
			assertThat(policyFigures(statistics)).isEqualTo(NOTHING_COUNTED);
			assertThat(deadLetters).isEmpty();
			assertThat(this.uncaught).isEmpty();
		}
		finally {
			release.countDown();
			pipeline.close();
		}
	}

	private static String policyFigures(StageStatistics statistics) {
		return "timeouts " + statistics.timeouts() + ", skipped " + statistics.skipped() + ", retries "
				+ statistics.retries();
	}

	/** The index of the blocked call in the stage's input: windows of 2 end one item later. */
	private static long calledIndex(Kind kind) {
		return (kind == Kind.WINDOW) ? BLOCKED - 1 : BLOCKED;
	}

	private static Pipeline<Integer, Integer> pipeline(Kind kind, Stage<Integer, Integer> stage,
			List<FailedItem> deadLetters) {
		return Pipeline.<Integer>builder("close-armed-" + kind.name().toLowerCase())
			.nCpu(2)
			.deadLetters(deadLetters::add)
			.then(kind.spec(stage))
			.build();
	}

}
