package io.github.blllib.flink;

import io.github.blllib.Stage;
import io.github.blllib.StageSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FlinkPipelineBuildTests {

	@Test
	void aStageThatCannotBeSerializedIsRefusedWhenTheJobIsBuiltNamingPipelineAndStage() {
		Stage<Long, Long> plainLambda = (x) -> x + 1;
		FlinkPipeline.Builder<Long, Long> builder = FlinkPipeline.<Long>builder("report")
			.then(StageSpec.stateless("fine", SerializableStage.of((Long x) -> x)))
			.then(StageSpec.stateless("lookup", plainLambda));

		assertThatIllegalArgumentException().isThrownBy(builder::build)
			.withMessageStartingWith("Pipeline 'report': stage 'lookup' is not serializable")
			.withMessageContaining("SerializableStage.of")
			.withMessageContaining("springStages");
	}

	@Test
	void aDeadLetterHandlerThatCannotBeSerializedIsRefusedWhenTheJobIsBuilt() {
		FlinkPipeline.Builder<Long, Long> builder = FlinkPipeline.<Long>builder("report")
			.then(StageSpec.stateless("fine", SerializableStage.of((Long x) -> x)).skipFailures())
			.deadLetters((item) -> {
			});

		assertThatIllegalArgumentException().isThrownBy(builder::build)
			.withMessageStartingWith("Pipeline 'report': the dead-letter handler is not serializable");
	}

	@Test
	void serializableLambdasAndClassesBuild() {
		FlinkPipeline<Long, Long> pipeline = FlinkPipeline.<Long>builder("report")
			.then(StageSpec.stateless("add", SerializableStage.of((Long x) -> x + 1)))
			.then(StageSpec.stateful("total", new TestStages.RunningTotal(5, 0)))
			.deadLetters(new TestStages.RecordingDeadLetters())
			.parallelism(3)
			.build();

		assertThat(pipeline.name()).isEqualTo("report");
		assertThat(pipeline.parallelism()).isEqualTo(3);
	}

	@Test
	void aSkipLimitIsRefusedBecauseSubtasksCannotCountTogether() {
		StageSpec<Long, Long> limited = StageSpec.stateless("picky", new TestStages.FailOn(1)).skipFailures().skipLimit(3);

		assertThatIllegalArgumentException().isThrownBy(() -> FlinkPipeline.<Long>builder("report").then(limited))
			.withMessageContaining("Pipeline 'report': stage 'picky' sets a skip limit (3)");
	}

	@Test
	void parallelismBelowOneIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> FlinkPipeline.<Long>builder("report").parallelism(0))
			.withMessage("Pipeline 'report': parallelism must be at least 1, but was 0");
	}

	@Test
	void aStageNameUsedTwiceIsRefused() {
		FlinkPipeline.Builder<Long, Long> builder = FlinkPipeline.<Long>builder("report")
			.then(StageSpec.stateless("add", new TestStages.FailOn(1)));

		assertThatIllegalArgumentException()
			.isThrownBy(() -> builder.then(StageSpec.stateless("add", new TestStages.FailOn(2))))
			.withMessage("Pipeline 'report': stage name 'add' is already used (stage names must be unique and not 'source')");
	}

	@Test
	void pipelineNamesFollowTheCoreEnginesRules() {
		assertThatIllegalArgumentException().isThrownBy(() -> FlinkPipeline.builder("no spaces"))
			.withMessageContaining("'no spaces'");
	}

}
