package io.github.blllib;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Which stateful stage instances a run claims: only those whose class can hold state. Per-request
 * pipelines run eight at a time, every round's runs open at once, so that a claim on a shared
 * instance would refuse all but one of them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StatefulStageClaimsTests {

	private static final int THREADS = 8;

	private static final int REQUESTS_PER_THREAD = 25;

	@Test
	void perRequestPipelinesAroundOneNonCapturingLambdaAreNeverRefused() throws Exception {
		assertThat(nonCapturing().stage()).as("the JVM hands out one object for the lambda")
			.isSameAs(nonCapturing().stage());
		assertThat(refusedRequests(StatefulStageClaimsTests::nonCapturing)).isZero();
	}

	@Test
	void perRequestPipelinesAroundALambdaCapturingOneSharedServiceAreNeverRefused() throws Exception {
		Repository repository = new Repository();
		assertThat(refusedRequests(() -> StageSpec.stateful("find", (Long id) -> repository.find(id)))).isZero();
	}

	@Test
	void twoOpenRunsAroundOneStaticMethodReferenceAreBothStarted() {
		try (Pipeline<Long, Long> first = Pipeline.<Long>builder("first")
			.then(StageSpec.<Long, Long>of("twice", (Stage<Long, Long>) StatefulStageClaimsTests::twice))
			.build();
				Pipeline<Long, Long> second = Pipeline.<Long>builder("second")
					.then(StageSpec.<Long, Long>of("twice", (Stage<Long, Long>) StatefulStageClaimsTests::twice))
					.build();
				PipelineRun<Long> firstRun = first.apply(List.of(1L, 2L));
				PipelineRun<Long> secondRun = second.apply(List.of(3L))) {
			assertThat(firstRun.next()).isEqualTo(2L);
			assertThat(secondRun.next()).isEqualTo(6L);
			assertThat(firstRun.next()).isEqualTo(4L);
		}
	}

	@Test
	void aStatefulInstanceWithAFieldIsStillRefusedASecondOpenRunNamingTheStage() {
		Counter counter = new Counter();
		try (Pipeline<Long, Long> first = Pipeline.<Long>builder("first")
			.then(StageSpec.stateful("counter", counter))
			.build();
				Pipeline<Long, Long> second = Pipeline.<Long>builder("second")
					.then(StageSpec.stateful("counter", counter))
					.build();
				PipelineRun<Long> firstRun = first.apply(List.of(1L, 2L))) {
			assertThat(firstRun.next()).isEqualTo(1L);
			PipelineRun<Long> secondRun = second.apply(List.of(3L));
			assertThatIllegalStateException().isThrownBy(secondRun::hasNext)
				.withMessageContaining("Stateful stage 'counter' is already running in an open run of pipeline 'first'");
		}
	}

	private static StageSpec<Long, Long> nonCapturing() {
		return StageSpec.stateful("same", (Long x) -> x);
	}

	private static Long twice(Long x) {
		return 2 * x;
	}

	/**
	 * Runs {@value #THREADS} threads that each build {@value #REQUESTS_PER_THREAD} pipelines in
	 * turn around {@code stage}, every round's runs started and open at once.
	 * @return the runs refused
	 */
	private static int refusedRequests(Supplier<StageSpec<Long, Long>> stage) throws Exception {
		CyclicBarrier allOpen = new CyclicBarrier(THREADS);
		AtomicInteger refused = new AtomicInteger();
		ExecutorService threads = Executors.newFixedThreadPool(THREADS);
		try {
			List<Future<?>> requests = new ArrayList<>();
			for (int thread = 0; thread < THREADS; thread++) {
				String name = "request-" + thread;
				requests.add(threads.submit(() -> {
					for (int request = 0; request < REQUESTS_PER_THREAD; request++) {
						try (Pipeline<Long, Long> pipeline = Pipeline.<Long>builder(name).then(stage.get()).build();
								PipelineRun<Long> run = pipeline.apply(List.of(1L, 2L))) {
							boolean started;
							try {
								started = run.hasNext();
							}
							catch (IllegalStateException ex) {
								refused.incrementAndGet();
								started = false;
							}
							allOpen.await(30, TimeUnit.SECONDS);
							if (started) {
								assertThat(StageKindsTests.drain(run)).containsExactly(1L, 2L);
							}
						}
					}
					return null;
				}));
			}
			for (Future<?> request : requests) {
				request.get(50, TimeUnit.SECONDS);
			}
			return refused.get();
		}
		finally {
			threads.shutdownNow();
			assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		}
	}

	/** A thread-safe service that many pipelines share. */
	private static final class Repository {

		private final Map<Long, Long> rows = new ConcurrentHashMap<>();

		Long find(Long id) {
			return this.rows.getOrDefault(id, id);
		}

	}

	private static final class Counter implements Stage<Long, Long> {

		private long count;

		@Override
		public Long apply(Long input) {
			return ++this.count;
		}

	}

}
