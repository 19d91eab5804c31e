package io.github.blllib;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;

/**
 * Creates pipelines from named stages; the Spring Boot starter provides one whose stages are
 * the application's {@link Stage} beans. Names may be looked up as {@link RelaxedNames} does.
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

	/**
	 * The specs {@link #create(String, String...)} would build pipeline {@code pipelineName} from,
	 * without building it: no {@link PipelineListener} is told and no thread is taken. For running
	 * the same stages elsewhere, as {@code blllib-flink} does; each call fetches the stages again
	 * (fresh instances of prototype-scoped Spring beans).
	 * @throws IllegalArgumentException when a name is unknown, listing the known ones
	 * @throws UnsupportedOperationException when the factory cannot list specs
	 */
	default List<StageSpec<?, ?>> specs(String pipelineName, String... stageNames) {
		throw new UnsupportedOperationException(getClass().getName() + " does not list stage specs");
	}

	/**
	 * The stages this factory composes, by name, with the settings each runs with; empty when
	 * the factory does not list them.
	 */
	default SortedMap<String, StageSettings> stages() {
		return Collections.emptySortedMap();
	}

}
