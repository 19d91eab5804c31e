package io.github.blllib;

/**
 * Creates pipelines from named stages; the Spring Boot starter provides one whose stages are
 * the application's {@link Stage} beans.
 */
public interface PipelineFactory {

	/**
	 * A pipeline of the named stages, in order.
	 * @throws IllegalArgumentException when a name is unknown, listing the known ones
	 */
	<I, O> Pipeline<I, O> create(String pipelineName, String... stageNames);

	/**
	 * A pipeline whose stages are named in configuration.
	 * @throws IllegalArgumentException when no such pipeline is configured, listing the known
	 * ones
	 */
	<I, O> Pipeline<I, O> create(String pipelineName);

}
