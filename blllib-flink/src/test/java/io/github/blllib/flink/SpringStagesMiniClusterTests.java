package io.github.blllib.flink;

import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;

import io.github.blllib.StageSpec;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SpringStagesMiniClusterTests {

	@RegisterExtension
	static final MiniClusterExtension cluster = MiniClusterRuns.cluster();

	@Test
	void stageBeansRunWithTheirAnnotationAndPropertySettingsFromOneContextPerJvm() throws Exception {
		List<Long> inputs = LongStream.rangeClosed(1, 30).boxed().toList();
		FlinkPipeline<Long, Long> pipeline = FlinkPipeline.<Long>builder("squares")
			.<Long>springStages(SpringStagesConfiguration.class, "flaky", "square", "total", "diff")
			.parallelism(MiniClusterRuns.PARALLELISM)
			.build();
		int contextsBeforeTheJob = SpringStagesConfiguration.contexts.get();

		List<Long> outputs = MiniClusterRuns.run(pipeline, inputs);

		// the difference of consecutive running totals of squares: the squares of 2..30
		assertThat(outputs).isEqualTo(LongStream.rangeClosed(2, 30).map((x) -> x * x).boxed().toList());
		// one for the job's 4 + 4 + 1 + 4 subtasks on the task manager
		assertThat(SpringStagesConfiguration.contexts).hasValue(contextsBeforeTheJob + 1);
	}

	@Test
	void theJobsContextIsClosedWhenFlinkReleasesItsClassLoader() throws Exception {
		FlinkPipeline<Long, Long> pipeline = FlinkPipeline.<Long>builder("released")
			.<Long>springStages(SpringStagesConfiguration.class, "square")
			.parallelism(MiniClusterRuns.PARALLELISM)
			.build();
		assertThat(MiniClusterRuns.run(pipeline, List.of(2L, 3L))).containsExactly(4L, 9L);

		Awaitility.await()
			.atMost(Duration.ofSeconds(60))
			// the jobs' contexts are closed; the one this JVM built the jobs with (the client's) remains
			.untilAsserted(() -> assertThat(SpringStageContexts.openContexts()).isEqualTo(1));
	}

	@Test
	void springAndSerializedStagesMix() throws Exception {
		FlinkPipeline<Long, Long> pipeline = FlinkPipeline.<Long>builder("mixed")
			.then(StageSpec.stateless("half", SerializableStage.of((Long x) -> (x % 2 == 0) ? x / 2 : null)))
			.<Long>springStages(SpringStagesConfiguration.class, "square")
			.parallelism(MiniClusterRuns.PARALLELISM)
			.build();

		assertThat(MiniClusterRuns.run(pipeline, List.of(1L, 2L, 3L, 4L, 6L))).containsExactly(1L, 4L, 9L);
	}

	@Test
	void anUnknownStageBeanIsRefusedWhenTheJobIsBuiltListingTheKnownOnes() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> FlinkPipeline.<Long>builder("squares")
				.springStages(SpringStagesConfiguration.class, "square", "cube"))
			.withMessageContaining("'cube'")
			.withMessageContaining("diff, flaky, square, total");
	}

}
