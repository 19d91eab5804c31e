package io.github.blllib;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stateless stage's retry, once its delay has passed, does not wait for the stage's drainers
 * to run out of work: a drainer busy with other items of the stage runs it between two of them,
 * so the item it holds up at the head of the stage's output is not left behind every item in
 * flight.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RetryWhileBusyTests {

	@Test
	void aDueRetryRunsBetweenTheItemsOfABusyDrainer() throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(1);
		AtomicBoolean drainerBusy = new AtomicBoolean();
		CountDownLatch retryQueued = new CountDownLatch(1);
		// with its only drainer busy, the next task the pool is given is the due retry's
		Executor pool = (task) -> {
			if (drainerBusy.get()) {
				retryQueued.countDown();
			}
			threads.execute(task);
		};
		AtomicInteger attemptsOfFirst = new AtomicInteger();
		CountDownLatch retried = new CountDownLatch(1);
		AtomicBoolean retryOvertook = new AtomicBoolean();
		Stage<Integer, Integer> stage = (x) -> {
			if (x == 0) {
				if (attemptsOfFirst.incrementAndGet() == 1) {
					throw new IllegalStateException("the first attempt of 0 fails");
				}
				retried.countDown();
			}
			else if (x == 1) {
				drainerBusy.set(true);
				assertThat(retryQueued.await(30, TimeUnit.SECONDS)).as("retry due and handed to the pool").isTrue();
			}
			else if (x == 2) {
				// on the old code the retry waited in the pool's queue behind this very call
				retryOvertook.set(retried.await(5, TimeUnit.SECONDS));
			}
			return x;
		};
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("busy-drainer")
			.nCpu(1)
			.workerPool(pool)
			.then(StageSpec.stateless("lookup", stage).batchSize(16).retry(Retry.maxRetries(1).delay(Duration.ofMillis(1))))
			.build()) {
			List<Integer> outputs = new ArrayList<>();
			try (PipelineRun<Integer> run = pipeline.apply(List.of(0, 1, 2, 3))) {
				run.forEachRemaining(outputs::add);
			}
			assertThat(outputs).containsExactly(0, 1, 2, 3);
			assertThat(retryOvertook).as("the retry ran between items 1 and 2 of the busy drainer").isTrue();
			assertThat(attemptsOfFirst).hasValue(2);
			assertThat(pipeline.statistics().get(0).retries()).isEqualTo(1);
		}
		finally {
			threads.shutdownNow();
			assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		}
	}

}
