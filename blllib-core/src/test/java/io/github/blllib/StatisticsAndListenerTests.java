package io.github.blllib;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/** The figures and life-cycle events that metrics and the actuator endpoint are built on. */
class StatisticsAndListenerTests {

	@RegisterExtension
	final ConsumerThread consumer = new ConsumerThread();

	@Test
	void listenerHearsCreationEachRunAndClose() {
		List<String> events = new CopyOnWriteArrayList<>();
		PipelineListener listener = new PipelineListener() {
			@Override
			public void pipelineCreated(Pipeline<?, ?> pipeline) {
				events.add("created " + pipeline.name());
			}

			@Override
			public void runStarted(Pipeline<?, ?> pipeline) {
				events.add("started");
			}

			@Override
			public void runEnded(Pipeline<?, ?> pipeline, RunOutcome outcome) {
				events.add("ended " + outcome.kind() + ((outcome.failure() != null) ? " " + outcome.failure().getCause().getMessage() : ""));
			}

			@Override
			public void pipelineClosed(Pipeline<?, ?> pipeline) {
				events.add("closed " + pipeline.name());
			}
		};
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("heard")
			.listener(listener)
			.then(StageSpec.stateless("same", (Integer x) -> {
				if (x == 5) {
					throw new IllegalStateException("five");
				}
				return x;
			}))
			.build()) {
			StageKindsTests.drain(pipeline.apply(List.of(1, 2)));
			// closed before its first pull: it never started, so it is not reported
			pipeline.apply(List.of(3)).close();
			PipelineRun<Integer> closedEarly = pipeline.apply(List.of(3, 4));
			closedEarly.next();
			closedEarly.close();
			assertThatExceptionOfType(PipelineException.class)
				.isThrownBy(() -> StageKindsTests.drain(pipeline.apply(List.of(4, 5))));
		}
		assertThat(events).containsExactly("created heard", "started", "ended EXHAUSTED", "started", "ended CLOSED",
				"started", "ended FAILED five", "closed heard");
	}

	@Test
	void aListenerThatThrowsCannotRefuseARunAndTheOtherListenersAreToldAllTheSame() {
		List<String> events = new CopyOnWriteArrayList<>();
		PipelineListener throwing = new PipelineListener() {
			@Override
			public void runStarted(Pipeline<?, ?> pipeline) {
				throw new IllegalStateException("not now");
			}

			@Override
			public void runEnded(Pipeline<?, ?> pipeline) {
				throw new IllegalStateException("nor now");
			}
		};
		PipelineListener recording = new PipelineListener() {
			@Override
			public void runStarted(Pipeline<?, ?> pipeline) {
				events.add("started");
			}

			@Override
			public void runEnded(Pipeline<?, ?> pipeline) {
				events.add("ended");
			}
		};
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("not-refused")
			.listener(throwing)
			.listener(recording)
			.then(StageSpec.stateful("same", (Integer x) -> x))
			.build()) {
			assertThat(StageKindsTests.drain(pipeline.apply(List.of(1, 2)))).containsExactly(1, 2);
			assertThat(pipeline.hasOpenRun()).isFalse();
		}
		assertThat(events).containsExactly("started", "ended");
	}

	@Test
	void countersSplitProcessedCallsBySuccessErrorAndDropped() {
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("counted")
			.nCpu(2)
			.then(StageSpec.stateless("evens", (Integer x) -> (x % 2 == 0) ? x : null).batchSize(4))
			.then(StageSpec.stateful("fail", (Integer x) -> {
				if (x == 10) {
					throw new IllegalStateException("ten");
				}
				return x;
			}))
			.build()) {
			assertThatExceptionOfType(PipelineException.class)
				.isThrownBy(() -> StageKindsTests.drain(pipeline.apply(StageKindsTests.range(11))));
			StageStatistics evens = pipeline.statistics().get(0);
			StageStatistics fail = pipeline.statistics().get(1);
			assertThat(evens.succeeded()).isEqualTo(6);
			assertThat(evens.dropped()).isEqualTo(5);
			assertThat(evens.failed()).isZero();
			assertThat(evens.processed()).isEqualTo(11);
			assertThat(fail.succeeded()).isEqualTo(5);
			assertThat(fail.failed()).isEqualTo(1);
			assertThat(fail.totalTimeNanos()).isPositive();
			assertThat(evens.inFlight()).isZero();
			assertThat(fail.inFlight()).isZero();
		}
	}

	@Test
	void inMasterStagesCountEveryCallByOutcome() {
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("master")
			.sequential()
			.then(StageSpec.stateless("odd", (Integer x) -> (x % 2 == 1) ? x : null))
			.then(StageSpec.stateful("fail", (Integer x) -> {
				if (x == 2001) {
					throw new IllegalStateException("2001");
				}
				return x;
			}))
			.build()) {
			assertThatExceptionOfType(PipelineException.class)
				.isThrownBy(() -> StageKindsTests.drain(pipeline.apply(StageKindsTests.range(3000))))
				.satisfies((ex) -> assertThat(ex.index()).isEqualTo(1000));
			StageStatistics odd = pipeline.statistics().get(0);
			StageStatistics fail = pipeline.statistics().get(1);
			assertThat(odd.processed()).isEqualTo(2002);
			assertThat(odd.succeeded()).isEqualTo(1001);
			assertThat(odd.dropped()).isEqualTo(1001);
			assertThat(fail.succeeded()).isEqualTo(1000);
			assertThat(fail.failed()).isEqualTo(1);
			assertThat(odd.inFlight()).isZero();
			assertThat(odd.activeThreads()).isZero();
		}
	}

	@Test
	void activeThreadsAndInFlightShowAStageHeldOnALatch() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch entered = new CountDownLatch(2);
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("held")
			.nCpu(2)
			.then(StageSpec.stateless("wait", (Integer x) -> {
				entered.countDown();
				release.await();
				return x;
			}).batchSize(6))
			.build()) {
			Future<List<Integer>> outputs = this.consumer.submit(() -> StageKindsTests.drain(pipeline.apply(StageKindsTests.range(20))));
			StageStatistics wait = pipeline.statistics().get(0);
			assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
			await().untilAsserted(() -> {
				assertThat(wait.inFlight()).isEqualTo(6);
				assertThat(wait.activeThreads()).isEqualTo(2);
			});
			assertThat(pipeline.hasOpenRun()).isTrue();
			release.countDown();
			assertThat(outputs.get(10, TimeUnit.SECONDS)).isEqualTo(StageKindsTests.range(20));
			assertThat(wait.inFlight()).isZero();
			assertThat(wait.activeThreads()).isZero();
			assertThat(wait.succeeded()).isEqualTo(20);
		}
	}

}
