package io.github.blllib.flink;

import io.github.blllib.StageSpec;

/**
 * A stage created on each task manager from a Spring configuration of stage beans (see
 * {@link FlinkPipeline.Builder#springStages}): only the configuration class and the names travel
 * with the job.
 */
final class SpringStageSource implements StageSource {

	private static final long serialVersionUID = 1L;

	private final Class<?> configuration;

	private final String pipeline;

	private final String stage;

	SpringStageSource(Class<?> configuration, String pipeline, String stage) {
		this.configuration = configuration;
		this.pipeline = pipeline;
		this.stage = stage;
	}

	@Override
	public StageSpec<?, ?> open() {
		return SpringStageContexts.specs(this.configuration, this.pipeline, this.stage).get(0);
	}

}
