package io.github.blllib;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A retry waiting out its delay does not keep a closed run, its nodes and its input alive. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PendingRetryReleaseTests {

	enum Kind {

		STATELESS((stage) -> StageSpec.stateless("failing", stage::apply)),
		ASYNC((stage) -> StageSpec.async("failing", (Object x) -> CompletableFuture.supplyAsync(() -> stage.apply(x))));

		private final Function<Function<Object, Object>, StageSpec<Object, Object>> spec;

		Kind(Function<Function<Object, Object>, StageSpec<Object, Object>> spec) {
			this.spec = spec;
		}

	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void aClosedRunWhoseRetryWaitsADayIsReleased(Kind kind) {
		StageSpec<Object, Object> spec = kind.spec.apply((x) -> {
			throw new IllegalStateException("down");
		}).retry(Retry.maxRetries(1).delay(Duration.ofDays(1)));
		try (Pipeline<Object, Object> pipeline = Pipeline.builder("pending").then(spec).build()) {
			WeakReference<Object> input = openRetryAndClose(pipeline);
			await().atMost(30, TimeUnit.SECONDS).until(() -> {
				System.gc();
				return input.get() == null;
			});
		}
	}

	/** Opens a run of one large input whose retry is pending, closes it and forgets it. */
	private static WeakReference<Object> openRetryAndClose(Pipeline<Object, Object> pipeline) {
		Object large = new byte[8 << 20];
		WeakReference<Object> input = new WeakReference<>(large);
		Iterable<Object> once = () -> List.of(large).iterator();
		PipelineRun<Object> run = pipeline.apply(once);
		CompletableFuture<Boolean> pulled = CompletableFuture.supplyAsync(run::hasNext);
		await().atMost(30, TimeUnit.SECONDS).until(() -> pipeline.statistics().get(0).retries() == 1);
		run.close();
		pulled.join();
		return input;
	}

}
