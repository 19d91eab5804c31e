package io.github.blllib;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An async stage whose futures the test completes, by input: a remote service under the test's
 * control. Counts the futures outstanding (started, neither completed nor cancelled) and the
 * most there ever were when a call started.
 */
final class PendingCalls implements AsyncStage<Integer, Integer> {

	final List<Integer> applied = new CopyOnWriteArrayList<>();

	final Map<Integer, CompletableFuture<Integer>> futures = new ConcurrentHashMap<>();

	final AtomicInteger maxOutstanding = new AtomicInteger();

	final List<Integer> cancelled = new CopyOnWriteArrayList<>();

	@Override
	public CompletionStage<Integer> apply(Integer input) {
		CompletableFuture<Integer> future = new CompletableFuture<>();
		future.whenComplete((result, failure) -> {
			if (future.isCancelled()) {
				this.cancelled.add(input);
			}
		});
		this.futures.put(input, future);
		this.maxOutstanding.accumulateAndGet(outstanding(), Math::max);
		this.applied.add(input);
		return future;
	}

	/** Futures neither completed nor cancelled. */
	int outstanding() {
		return (int) this.futures.values().stream().filter((future) -> !future.isDone()).count();
	}

	/** Waits until {@code n} calls have been started. */
	void awaitApplied(int n) {
		await().untilAsserted(() -> assertThat(this.applied).hasSizeGreaterThanOrEqualTo(n));
	}

	void complete(int input, Integer output) {
		this.futures.get(input).complete(output);
	}

	void fail(int input, Throwable failure) {
		this.futures.get(input).completeExceptionally(failure);
	}

}
