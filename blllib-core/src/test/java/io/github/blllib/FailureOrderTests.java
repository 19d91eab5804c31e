package io.github.blllib;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Failure is deterministic and the same in every mode: every output of an earlier input comes
 * first, and the failure reported is the one of the earliest input, as in sequential mode.
 */
class FailureOrderTests {

	/** How the stages of the pipeline under test run. */
	enum Mode {

		SEQUENTIAL(UnaryOperator.identity()), STATELESS((spec) -> spec.batchSize(8)),
		STATEFUL((spec) -> StageSpec.stateful(spec.name(), stageOf(spec)).batchSize(8)),
		MIXED((spec) -> spec.name().equals("b") ? spec.runInMaster() : spec.batchSize(8));

		private final UnaryOperator<StageSpec<Integer, Integer>> shape;

		Mode(UnaryOperator<StageSpec<Integer, Integer>> shape) {
			this.shape = shape;
		}

	}

	@SuppressWarnings("unchecked")
	private static Stage<Integer, Integer> stageOf(StageSpec<Integer, Integer> spec) {
		return (Stage<Integer, Integer>) spec.stage();
	}

	@ParameterizedTest
	@EnumSource(Mode.class)
	void aFailureComesAfterEveryOutputOfEarlierInputs(Mode mode) {
		Outcome outcome = run(mode, Set.of(5), Set.of());
		assertThat(outcome.outputs).containsExactly(0, 1, 2, 3, 4);
		assertThat(outcome.failure.stage()).isEqualTo("a");
		assertThat(outcome.failure.index()).isEqualTo(5);
	}

	@ParameterizedTest
	@EnumSource(Mode.class)
	void ofTwoFailingStagesTheFailureOfTheEarliestInputIsReported(Mode mode) {
		// stage a fails at input 9, stage b at input 4: input 4 comes first
		Outcome outcome = run(mode, Set.of(9), Set.of(4));
		Outcome sequential = run(Mode.SEQUENTIAL, Set.of(9), Set.of(4));
		assertThat(outcome.outputs).isEqualTo(sequential.outputs).containsExactly(0, 1, 2, 3);
		assertThat(outcome.failure.index()).isEqualTo(sequential.failure.index());
		assertThat(outcome.failure.stage()).isEqualTo("b");
		assertThat(outcome.failure.index()).isEqualTo(4);
	}

	@ParameterizedTest
	@EnumSource(Mode.class)
	void aSneakyCheckedExceptionOfTheInputIsReportedAsStageSource(Mode mode) {
		Iterable<Integer> input = () -> new Iterator<>() {

			private int next;

			@Override
			public boolean hasNext() {
				return true;
			}

			@Override
			public Integer next() {
				if (this.next == 3) {
					throw FailureOrderTests.<RuntimeException>sneaky(new IOException("disk gone"));
				}
				return this.next++;
			}

		};
		try (Pipeline<Integer, Integer> pipeline = pipeline(mode, Set.of(), Set.of())) {
			Outcome outcome = collect(pipeline.apply(input));
			assertThat(outcome.outputs).containsExactly(0, 1, 2);
			assertThat(outcome.failure.stage()).isEqualTo(StageSpec.SOURCE);
			assertThat(outcome.failure.index()).isEqualTo(3);
			assertThat(outcome.failure).hasCauseInstanceOf(IOException.class);
			assertThat(pipeline.hasOpenRun()).isFalse();
			Threads.assertRunThreadsReleased(pipeline);
		}
	}

	@Test
	void aStatefulStageInstanceRunsInOneOpenRunAtATimeAcrossPipelines() {
		Stage<Integer, Integer> counter = new Stage<>() {

			private int count;

			@Override
			public Integer apply(Integer input) {
				return ++this.count;
			}

		};
		try (Pipeline<Integer, Integer> first = Pipeline.<Integer>builder("first")
			.then(StageSpec.stateful("counter", counter))
			.build();
				Pipeline<Integer, Integer> second = Pipeline.<Integer>builder("second")
					.then(StageSpec.stateful("counter", counter).runInMaster())
					.build()) {
			PipelineRun<Integer> firstRun = first.apply(CountingSource.endless());
			assertThat(firstRun.next()).isEqualTo(1);
			PipelineRun<Integer> secondRun = second.apply(List.of(0));
			assertThatIllegalStateException().isThrownBy(secondRun::hasNext)
				.withMessageContaining("Stateful stage 'counter' is already running in an open run of pipeline 'first'")
				.withMessageContaining("@Scope(\"prototype\")");
			assertThat(second.hasOpenRun()).isFalse();
			firstRun.close();
			assertThat(StageKindsTests.drain(second.apply(List.of(0)))).hasSize(1);
		}
	}

	private static Outcome run(Mode mode, Set<Integer> aFails, Set<Integer> bFails) {
		try (Pipeline<Integer, Integer> pipeline = pipeline(mode, aFails, bFails)) {
			return collect(pipeline.apply(StageKindsTests.range(20)));
		}
	}

	private static Pipeline<Integer, Integer> pipeline(Mode mode, Set<Integer> aFails, Set<Integer> bFails) {
		Pipeline.Builder<Integer, Integer> builder = Pipeline.<Integer>builder("failure-order-" + mode).nCpu(4);
		if (mode == Mode.SEQUENTIAL) {
			builder.sequential();
		}
		StageSpec<Integer, Integer> a = mode.shape.apply(failingAt("a", aFails));
		StageSpec<Integer, Integer> b = mode.shape.apply(failingAt("b", bFails));
		return builder.then(a).then(b).build();
	}

	private static StageSpec<Integer, Integer> failingAt(String name, Set<Integer> inputs) {
		return StageSpec.stateless(name, (Integer x) -> {
			if (inputs.contains(x)) {
				throw new IllegalStateException(name + " fails at " + x);
			}
			return x;
		});
	}

	private static Outcome collect(PipelineRun<Integer> run) {
		List<Integer> outputs = new ArrayList<>();
		try (run) {
			while (run.hasNext()) {
				outputs.add(run.next());
			}
			return new Outcome(outputs, null);
		}
		catch (PipelineException ex) {
			return new Outcome(outputs, ex);
		}
	}

	/** Throws {@code ex}, checked or not, without declaring it: as Kotlin or Lombok code can. */
	@SuppressWarnings("unchecked")
	static <T extends Throwable> T sneaky(Throwable ex) throws T {
		throw (T) ex;
	}

	private record Outcome(List<Integer> outputs, PipelineException failure) {
	}

}
