package io.github.blllib;

import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A failure whose message cannot be read (its {@code getMessage()} throws) is still reported
 * as the stage's failure, with pipeline, stage and index, and is still skipped when the stage
 * skips failures: describing a cause never fails on its own. (Not with {@code Kind.ASYNC}: the
 * JDK's {@code supplyAsync} reads the message to wrap the failure, throws, and never completes
 * the future.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UnreadableFailureTests {

	private static final int BAD_INPUT = 3;

	@ParameterizedTest
	@EnumSource(value = FailurePolicyTests.Kind.class, names = "ASYNC", mode = EnumSource.Mode.EXCLUDE)
	void theRunFailsWithAPipelineExceptionNamingStageAndIndex(FailurePolicyTests.Kind kind) {
		try (Pipeline<Integer, Integer> pipeline = pipeline(kind, UnaryOperator.identity())) {
			PipelineRun<Integer> run = pipeline.apply(StageKindsTests.range(8));
			assertThatExceptionOfType(PipelineException.class).isThrownBy(() -> StageKindsTests.drain(run))
				.satisfies((ex) -> {
					assertThat(ex.pipeline()).isEqualTo(pipeline.name());
					assertThat(ex.stage()).isEqualTo("flaky");
					assertThat(ex.index()).isEqualTo(BAD_INPUT);
					assertThat(ex.getCause()).isInstanceOf(UnreadableException.class);
					assertThat(ex.getMessage()).contains(UnreadableException.class.getName());
				});
		}
	}

	@ParameterizedTest
	@EnumSource(value = FailurePolicyTests.Kind.class, names = "ASYNC", mode = EnumSource.Mode.EXCLUDE)
	void theDefaultDeadLetterLineDoesNotTurnTheSkipIntoAFailure(FailurePolicyTests.Kind kind) {
		try (Pipeline<Integer, Integer> pipeline = pipeline(kind, StageSpec::skipFailures)) {
			assertThat(StageKindsTests.drain(pipeline.apply(StageKindsTests.range(8))))
				.isEqualTo(StageKindsTests.range(8).stream().filter((x) -> x != BAD_INPUT).toList());
			assertThat(pipeline.statistics().get(0).skipped()).isEqualTo(1);
		}
	}

	@ParameterizedTest
	@EnumSource(value = FailurePolicyTests.Kind.class, names = "ASYNC", mode = EnumSource.Mode.EXCLUDE)
	void aSkipPastTheLimitFailsTheRunNamingStageAndIndex(FailurePolicyTests.Kind kind) {
		try (Pipeline<Integer, Integer> pipeline = pipeline(kind, (spec) -> spec.skipFailures().skipLimit(0))) {
			PipelineRun<Integer> run = pipeline.apply(StageKindsTests.range(8));
			assertThatExceptionOfType(PipelineException.class).isThrownBy(() -> StageKindsTests.drain(run))
				.satisfies((ex) -> {
					assertThat(ex.stage()).isEqualTo("flaky");
					assertThat(ex.index()).isEqualTo(BAD_INPUT);
					assertThat(ex.getMessage()).contains("skip limit").contains(UnreadableException.class.getName());
				});
		}
	}

	@Test
	void aFailedItemDescribesAnUnreadableFailureByItsClass() {
		FailedItem item = new FailedItem("p", "s", 0, 1, new UnreadableException(), 1);
		assertThat(item.failureDescription()).startsWith(UnreadableException.class.getName())
			.contains(IllegalStateException.class.getName());
	}

	/** No dead-letter handler set: the default one logs each skipped item. */
	private static Pipeline<Integer, Integer> pipeline(FailurePolicyTests.Kind kind,
			UnaryOperator<StageSpec<Integer, Integer>> policy) {
		Pipeline.Builder<Integer, Integer> builder = Pipeline.<Integer>builder("unreadable-" + kind).nCpu(2);
		if (kind == FailurePolicyTests.Kind.SEQUENTIAL) {
			builder.sequential();
		}
		Stage<Integer, Integer> stage = (x) -> {
			if (x == BAD_INPUT) {
				throw new UnreadableException();
			}
			return x;
		};
		return builder.then(kind.spec(stage, policy)).build();
	}

	/** An exception whose message cannot be read. */
	static final class UnreadableException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		@Override
		public String getMessage() {
			throw new IllegalStateException("no message");
		}

	}

}
