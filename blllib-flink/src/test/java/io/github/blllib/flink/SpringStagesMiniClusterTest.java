package io.github.blllib.flink;

import java.util.List;
import java.util.stream.LongStream;

import io.github.blllib.StageSpec;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SpringStagesMiniClusterTest {

	@RegisterExtension
	static final MiniClusterExtension cluster = MiniClusterRuns.cluster();

	@Test
	void stageBeansRunWithTheirAnnotationAndPropertySettingsFromOneContextPerJvm() throws Exception {
		List<Long> inputs = LongStream.rangeClosed(1, 30).boxed().toList();
		FlinkPipeline<Long, Long> pipeline = FlinkPipeline.<Long>builder("squares")
			.<Long>springStages(SpringStagesConfiguration.class, "flaky", "square", "total", "diff")
			.parallelism(MiniClusterRuns.PARALLELISM)
			.build();

		List<Long> outputs = MiniClusterRuns.run(pipeline, inputs);

		// the difference of consecutive running totals of squares: the squares of 2..30
		assertThat(outputs).isEqualTo(LongStream.rangeClosed(2, 30).map((x) -> x * x).boxed().toList());
		assertThat(SpringStagesConfiguration.contexts).hasValue(1);
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
