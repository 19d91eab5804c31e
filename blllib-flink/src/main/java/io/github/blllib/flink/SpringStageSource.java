package io.github.blllib.flink;

import io.github.blllib.StageSpec;
import org.apache.flink.api.common.functions.RuntimeContext;

/**
 * A stage created on each task manager from a Spring configuration of stage beans (see
 * {@link FlinkPipeline.Builder#springStages}): only the configuration class and the names travel
 * with the job. The subtasks of a job on one task manager share one application context, closed
 * when Flink releases the job's class loader there.
 */
final class SpringStageSource implements StageSource {

	private static final long serialVersionUID = 1L;

	private static final String RELEASE_HOOK = "blllib-spring-stage-contexts";

	private final Class<?> configuration;

	private final String pipeline;

	private final String stage;

	SpringStageSource(Class<?> configuration, String pipeline, String stage) {
		this.configuration = configuration;
		this.pipeline = pipeline;
		this.stage = stage;
	}

	@Override
	public StageSpec<?, ?> open(RuntimeContext context) {
		ClassLoader jobClassLoader = context.getUserCodeClassLoader();
		context.registerUserCodeClassLoaderReleaseHookIfAbsent(RELEASE_HOOK,
				() -> SpringStageContexts.close(jobClassLoader));
		return SpringStageContexts.specs(this.configuration, jobClassLoader, this.pipeline, this.stage).get(0);
	}

}
