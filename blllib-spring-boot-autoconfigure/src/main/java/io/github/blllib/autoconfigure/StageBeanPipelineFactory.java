package io.github.blllib.autoconfigure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.concurrent.Executor;

import io.github.blllib.DedicatedExecutorFactory;
import io.github.blllib.Pipeline;
import io.github.blllib.PipelineFactory;
import io.github.blllib.PipelineListener;
import io.github.blllib.RelaxedNames;
import io.github.blllib.StageSettings;
import io.github.blllib.StageSpec;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The {@link PipelineFactory} whose stages are the application's Stage beans, named by bean
 * name. Every pipeline shares the {@code blllibWorkerExecutor} pool, opens dedicated threads for
 * its stateful stages through the {@link DedicatedExecutorFactory} bean, is told to every
 * {@link PipelineListener} bean and is tracked by {@link OpenPipelines} until it is closed.
 * Prototype-scoped stage beans give each pipeline a fresh instance; the engine keeps a stateful
 * singleton out of two open runs at once.
 */
public final class StageBeanPipelineFactory implements PipelineFactory, DisposableBean {

	private final StageCatalog catalog;

	private final BlllibProperties properties;

	private final int nCpu;

	private final Executor workerPool;

	private final DedicatedExecutorFactory dedicatedExecutors;

	private final ObjectProvider<PipelineListener> listeners;

	private final OpenPipelines openPipelines;

	private volatile boolean destroyed;

	StageBeanPipelineFactory(StageCatalog catalog, BlllibProperties properties, Executor workerPool,
			DedicatedExecutorFactory dedicatedExecutors, ObjectProvider<PipelineListener> listeners,
			OpenPipelines openPipelines) {
		this.catalog = catalog;
		this.properties = properties;
		this.nCpu = catalog.nCpu();
		this.workerPool = workerPool;
		this.dedicatedExecutors = dedicatedExecutors;
		this.listeners = listeners;
		this.openPipelines = openPipelines;
	}

	@Override
	public <I, O> Pipeline<I, O> create(String pipelineName, String... stageNames) {
		Objects.requireNonNull(stageNames, "stageNames must not be null");
		if (this.destroyed) {
			throw new IllegalStateException(
					"Cannot create pipeline '" + pipelineName + "': the application context is closed");
		}
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
		Pipeline.Builder<I, I> builder = Pipeline.<I>builder(pipelineName)
			.nCpu(this.nCpu)
			.workerPool(this.workerPool)
			.dedicatedExecutors(this.dedicatedExecutors)
			.listener(this.openPipelines.registrar());
		this.listeners.orderedStream().forEach(builder::listener);
		return builder.<O>thenAll(specs).build();
	}

	@Override
	public <I, O> Pipeline<I, O> create(String pipelineName) {
		Map<String, BlllibProperties.PipelineProperties> pipelines = this.properties.getPipelines();
		BlllibProperties.PipelineProperties configured = RelaxedNames.find(pipelineName, pipelines.keySet())
			.map(pipelines::get)
			.orElse(null);
		if (configured == null) {
			String known = pipelines.isEmpty() ? "(none: no blllib.pipelines.<name>.stages property is set)"
					: String.join(", ", new TreeSet<>(pipelines.keySet()));
			throw new IllegalArgumentException("No pipeline named '" + pipelineName
					+ "' is configured with blllib.pipelines." + pipelineName + ".stages; known pipelines: " + known);
		}
		return create(pipelineName, configured.getStages().toArray(String[]::new));
	}

	/** The Stage beans, by name, with the settings each runs with. */
	@Override
	public SortedMap<String, StageSettings> stages() {
		return Collections.unmodifiableSortedMap(this.catalog.stages());
	}

	/** Closes the pipelines still open, before the worker pool this factory depends on shuts down. */
	@Override
	public void destroy() {
		this.destroyed = true;
		this.openPipelines.closeAll();
	}

}
