package io.github.blllib.autoconfigure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.concurrent.Executor;

import io.github.blllib.DeadLetterHandler;
import io.github.blllib.DedicatedExecutorFactory;
import io.github.blllib.Pipeline;
import io.github.blllib.PipelineFactory;
import io.github.blllib.PipelineListener;
import io.github.blllib.RelaxedNames;
import io.github.blllib.StageSettings;
import io.github.blllib.StageSpec;

import org.springframework.beans.factory.ObjectProvider;

/**
 * The {@link PipelineFactory} whose stages are the application's Stage beans, named by bean
 * name. Every pipeline shares the {@code blllibWorkerExecutor} pool, opens dedicated threads for
 * its stateful stages through the {@link DedicatedExecutorFactory} bean, is told to every
 * {@link PipelineListener} bean, hands the items its stages skip to the {@link DeadLetterHandler}
 * beans (several in order; none: the engine's WARN log line) and is tracked by
 * {@link OpenPipelines}, which closes it on
 * shutdown if it is still open. Prototype-scoped stage beans give each pipeline a fresh
 * instance; the engine keeps a stateful singleton out of two open runs at once.
 */
public final class StageBeanPipelineFactory implements PipelineFactory {

	private final StageCatalog catalog;

	private final BlllibProperties properties;

	private final int nCpu;

	private final Executor workerPool;

	private final DedicatedExecutorFactory dedicatedExecutors;

	private final ObjectProvider<PipelineListener> listeners;

	private final ObjectProvider<DeadLetterHandler> deadLetterHandlers;

	private final OpenPipelines openPipelines;

	StageBeanPipelineFactory(StageCatalog catalog, BlllibProperties properties, Executor workerPool,
			DedicatedExecutorFactory dedicatedExecutors, ObjectProvider<PipelineListener> listeners,
			ObjectProvider<DeadLetterHandler> deadLetterHandlers, OpenPipelines openPipelines) {
		this.catalog = catalog;
		this.properties = properties;
		this.nCpu = catalog.nCpu();
		this.workerPool = workerPool;
		this.dedicatedExecutors = dedicatedExecutors;
		this.listeners = listeners;
		this.deadLetterHandlers = deadLetterHandlers;
		this.openPipelines = openPipelines;
	}

	@Override
	public <I, O> Pipeline<I, O> create(String pipelineName, String... stageNames) {
		return build(pipelineName, stageNames, null);
	}

	/**
	 * The pipeline configured as {@code pipelineName}, whose skipped items go to
	 * {@code deadLetters} first and then to the {@link DeadLetterHandler} beans, as a Kafka job's
	 * pipeline hands them to the job.
	 */
	<I, O> Pipeline<I, O> createConfigured(String pipelineName, DeadLetterHandler deadLetters) {
		return build(pipelineName, configuredStages(pipelineName), deadLetters);
	}

	private <I, O> Pipeline<I, O> build(String pipelineName, String[] stageNames, DeadLetterHandler firstHandler) {
		Objects.requireNonNull(stageNames, "stageNames must not be null");
		if (!this.openPipelines.isRunning()) {
			throw contextStopped(pipelineName);
		}
		List<StageSpec<?, ?>> specs = specs(pipelineName, stageNames);
		Pipeline.Builder<I, I> builder = Pipeline.<I>builder(pipelineName)
			.nCpu(this.nCpu)
			.workerPool(this.workerPool)
			.dedicatedExecutors(this.dedicatedExecutors);
		this.listeners.orderedStream().forEach(builder::listener);
		List<DeadLetterHandler> handlers = new ArrayList<>();
		if (firstHandler != null) {
			handlers.add(firstHandler);
		}
		this.deadLetterHandlers.orderedStream().forEach(handlers::add);
		if (handlers.size() == 1) {
			builder.deadLetters(handlers.get(0));
		}
		else if (!handlers.isEmpty()) {
			builder.deadLetters((item) -> handlers.forEach((handler) -> handler.accept(item)));
		}
		Pipeline<I, O> pipeline = builder.listener(this.openPipelines.registrar()).<O>thenAll(specs).build();
		// built while the context stopped, it may have missed the close: it will not be used
		if (!this.openPipelines.isRunning()) {
			pipeline.close();
			throw contextStopped(pipelineName);
		}
		return pipeline;
	}

	/** The specs of the named Stage beans, with fresh instances of prototype-scoped ones; no listener is told. */
	@Override
	public List<StageSpec<?, ?>> specs(String pipelineName, String... stageNames) {
		Objects.requireNonNull(stageNames, "stageNames must not be null");
		for (String stageName : stageNames) {
			if (stageName == null || this.catalog.findStage(stageName) == null) {
				throw new IllegalArgumentException("Pipeline '" + pipelineName + "': no Stage bean named '"
						+ stageName + "'; known stage beans: " + this.catalog.describeNames());
			}
		}
		List<StageSpec<?, ?>> specs = new ArrayList<>(stageNames.length);
		for (String stageName : stageNames) {
			specs.add(this.catalog.newSpec(stageName));
		}
		return specs;
	}

	@Override
	public <I, O> Pipeline<I, O> create(String pipelineName) {
		return create(pipelineName, configuredStages(pipelineName));
	}

	private String[] configuredStages(String pipelineName) {
		Map<String, BlllibProperties.PipelineProperties> pipelines = this.properties.getPipelines();
		BlllibProperties.PipelineProperties configured = RelaxedNames.find(pipelineName, pipelines.keySet())
			.map(pipelines::get)
			.orElse(null);
		if (configured == null) {
			throw new IllegalArgumentException("No pipeline named '" + pipelineName
					+ "' is configured with blllib.pipelines." + pipelineName + ".stages; known pipelines: "
					+ describePipelines(this.properties));
		}
		return configured.getStages().toArray(String[]::new);
	}

	/** The pipelines declared in configuration, for messages: "a, b" or a note that there are none. */
	static String describePipelines(BlllibProperties properties) {
		return properties.getPipelines().isEmpty() ? "(none: no blllib.pipelines.<name>.stages property is set)"
				: String.join(", ", new TreeSet<>(properties.getPipelines().keySet()));
	}

	/** The Stage beans, by name, with the settings each runs with. */
	@Override
	public SortedMap<String, StageSettings> stages() {
		return Collections.unmodifiableSortedMap(this.catalog.stages());
	}

	private static IllegalStateException contextStopped(String pipelineName) {
		return new IllegalStateException(
				"Cannot create pipeline '" + pipelineName + "': the application context is stopped or closed");
	}

}
